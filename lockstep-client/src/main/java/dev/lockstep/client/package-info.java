/**
 * {@link dev.lockstep.client.RemoteFeatureClient}: the feature client over HTTP, speaking the
 * wire format of {@code lockstep-wire}.
 */
package dev.lockstep.client;
