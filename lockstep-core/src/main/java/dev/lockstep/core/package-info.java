/**
 * Core's entry point, {@link dev.lockstep.core.Lockstep}: a project opened on its backends, with
 * plan and apply, ingest, training sets and the online runtime.
 */
package dev.lockstep.core;
