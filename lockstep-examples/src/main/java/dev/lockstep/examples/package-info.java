/**
 * Example data: the seeded payments generator the quickstart, the benchmarks and the tests share.
 * JDK only.
 */
package dev.lockstep.examples;
