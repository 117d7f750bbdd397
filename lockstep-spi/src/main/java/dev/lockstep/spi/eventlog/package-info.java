/**
 * The event log SPI: durable, ordered, ingest-time-stamped records per stream.
 */
package dev.lockstep.spi.eventlog;
