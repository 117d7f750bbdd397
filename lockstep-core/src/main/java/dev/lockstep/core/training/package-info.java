/**
 * Point-in-time training sets: plans, the partitioned sweep over the offline tables, on-demand
 * views through the shared evaluator, manifests and profiles.
 */
package dev.lockstep.core.training;
