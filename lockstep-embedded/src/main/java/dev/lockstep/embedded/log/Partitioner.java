package dev.lockstep.embedded.log;

import java.util.zip.CRC32C;

/**
 * The partition of a key: {@code CRC32C(key) mod partitions}, with the CRC read as an unsigned
 * 32-bit number. A pure function of the key bytes and the count, stable across processes,
 * versions and platforms; an empty key has CRC 0, so it always goes to partition 0.
 */
final class Partitioner {
  private Partitioner() {}

  static int partition(byte[] key, int partitions) {
    CRC32C crc = new CRC32C();
    crc.update(key, 0, key.length);
    return (int) (crc.getValue() % partitions);
  }
}
