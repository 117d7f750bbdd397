/**
 * Drift of served features against their training set, computed and monitored.
 */
package dev.lockstep.ops.drift;
