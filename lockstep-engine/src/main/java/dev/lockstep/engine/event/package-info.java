/**
 * Events as the engine sees them: time, ingest time, sequence and values, in their total order.
 */
package dev.lockstep.engine.event;
