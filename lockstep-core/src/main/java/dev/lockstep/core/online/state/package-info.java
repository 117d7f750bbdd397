/**
 * What the online stages share: view layouts and states, the state cache, entity keys, the logged
 * event format, checkpoints, state expiry, the monotonic clock and the runtime's metrics. Used only
 * by {@code dev.lockstep.core.online} and its packages (checked by the layering test).
 */
package dev.lockstep.core.online.state;
