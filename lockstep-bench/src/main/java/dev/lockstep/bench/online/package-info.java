/**
 * Online benchmarks: in-process and HTTP reads, streaming ingestion, distributed backends, and
 * the soak at twice the sustained push rate.
 */
package dev.lockstep.bench.online;
