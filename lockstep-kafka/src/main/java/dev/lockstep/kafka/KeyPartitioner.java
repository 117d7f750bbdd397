package dev.lockstep.kafka;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition of a key: {@code toPositive(murmur2(key)) mod partitions}, exactly what Kafka's
 * default partitioner does with a keyed record. A pure function of the key bytes and the count, so
 * Lockstep and any other Kafka producer put a key in the same partition; an empty key is hashed
 * like any other (Kafka's producer only spreads records whose key is null).
 */
final class KeyPartitioner {
  private KeyPartitioner() {}

  static int partition(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }
}
