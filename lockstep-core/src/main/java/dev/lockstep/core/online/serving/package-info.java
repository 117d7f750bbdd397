/**
 * Serving: the embedded feature client and its plans, over a {@link
 * dev.lockstep.core.online.serving.ServingContext} the runtime implements; it knows nothing of the
 * stream classes.
 */
package dev.lockstep.core.online.serving;
