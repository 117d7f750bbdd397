/**
 * The feed SPI: external streams a source follows (Kafka topics).
 */
package dev.lockstep.spi.feed;
