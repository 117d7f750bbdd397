/**
 * The offline store SPI: append-only tables with snapshots, idempotent appends, scans by time,
 * schema evolution and orphan cleanup.
 */
package dev.lockstep.spi.offline;
