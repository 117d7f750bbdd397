/**
 * The point-in-time sweep: features of many spine rows from one ordered pass over events.
 */
package dev.lockstep.engine.sweep;
