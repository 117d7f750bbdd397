/**
 * Interoperability checks run with Apache Spark: the offline tables read through Iceberg's Spark
 * runtime.
 */
package dev.lockstep.bench.spark;
