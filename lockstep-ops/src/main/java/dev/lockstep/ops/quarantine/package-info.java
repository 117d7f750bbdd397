/**
 * Quarantined rows listed, filtered and replayed.
 */
package dev.lockstep.ops.quarantine;
