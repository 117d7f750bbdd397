/**
 * The parity invariant checked: the feature log, replay (rebuilding logged vectors offline) and
 * the parity monitor.
 */
package dev.lockstep.ops.parity;
