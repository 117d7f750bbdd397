/** Materialization: the online store rebuilt from the offline tables, chunk by chunk, resumable. */
package dev.lockstep.core.online.materialize;
