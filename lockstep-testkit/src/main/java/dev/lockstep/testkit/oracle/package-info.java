/**
 * Naive oracles of the engine's semantics, independent of the engine, for differential tests.
 */
package dev.lockstep.testkit.oracle;
