/**
 * Aggregators and their partials: count, sum, mean, min, max, variance, distinct counts, latest;
 * exact where the definition promises it.
 */
package dev.lockstep.engine.aggregate;
