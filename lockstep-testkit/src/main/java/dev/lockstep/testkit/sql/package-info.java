/**
 * A SQL reference of point-in-time semantics, run on DuckDB in differential tests.
 */
package dev.lockstep.testkit.sql;
