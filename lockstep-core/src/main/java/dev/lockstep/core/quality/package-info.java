/**
 * Data quality at the door: contract gates, quarantine rows, circuit breakers and quality runs,
 * shared by ingest, pushes, tailed files and feeds.
 */
package dev.lockstep.core.quality;
