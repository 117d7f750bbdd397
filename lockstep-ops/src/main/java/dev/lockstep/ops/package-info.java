/**
 * Whole-project operations above core. {@link dev.lockstep.ops.ServingRuntime} is the entry
 * point: a project's online half running with feature logging, parity and drift monitoring, and
 * the operations a server exposes.
 */
package dev.lockstep.ops;
