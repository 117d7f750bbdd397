/**
 * The Kafka event log and feed: the SPI over Kafka's clients.
 */
package dev.lockstep.kafka;
