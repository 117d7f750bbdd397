/**
 * {@link dev.lockstep.wire.WireJson}: the JSON of the HTTP API, one codec for the server and the
 * remote client.
 */
package dev.lockstep.wire;
