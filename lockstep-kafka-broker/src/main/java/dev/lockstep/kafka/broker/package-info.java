/**
 * A real Kafka broker (KRaft) in-process, for tests and the distributed quickstart.
 */
package dev.lockstep.kafka.broker;
