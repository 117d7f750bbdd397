/**
 * Benchmarks (JMH and stand-alone runners); docs/benchmarks.md gives the commands and the
 * figures.
 */
package dev.lockstep.bench;
