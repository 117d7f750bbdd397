/**
 * The vector index SPI.
 */
package dev.lockstep.spi.vector;
