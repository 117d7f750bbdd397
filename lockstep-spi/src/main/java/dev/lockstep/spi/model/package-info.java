/**
 * The model registry SPI.
 */
package dev.lockstep.spi.model;
