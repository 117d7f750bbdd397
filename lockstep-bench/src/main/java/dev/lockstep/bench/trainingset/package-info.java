/**
 * Training-set benchmarks against DuckDB and Spark over the same data.
 */
package dev.lockstep.bench.trainingset;
