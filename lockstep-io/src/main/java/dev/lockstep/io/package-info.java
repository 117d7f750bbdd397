/**
 * Data files: CSV, JSON Lines and Parquet sources read with exact numbers and timestamps, spines,
 * Parquet datasets written, pushed events converted; one-line reasons for I/O failures.
 */
package dev.lockstep.io;
