/**
 * The registry store SPI: versioned documents with compare-and-set commits.
 */
package dev.lockstep.spi.registry;
