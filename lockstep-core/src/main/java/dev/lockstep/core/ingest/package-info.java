/**
 * Batch ingestion of data files into the offline tables, through the contract gate, exactly once
 * per file.
 */
package dev.lockstep.core.ingest;
