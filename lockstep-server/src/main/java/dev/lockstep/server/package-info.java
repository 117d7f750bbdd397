/**
 * {@link dev.lockstep.server.LockstepServer}: the HTTP API on Undertow, with limits, load
 * shedding, health and readiness, metrics, and the operations routes of a project.
 */
package dev.lockstep.server;
