/**
 * The online store SPI: view states by entity key, with atomic checkpoints.
 */
package dev.lockstep.spi.online;
