/**
 * The status report of a project: streams, views, quality, parity and drift in one answer.
 */
package dev.lockstep.ops.status;
