package dev.lockstep.spi.eventlog;

/**
 * A place in one partition of a stream: the record at {@code offset}, or where the next record will
 * go. Offsets increase strictly within a partition in append order but may have gaps (Kafka's
 * transaction markers take offsets); so the position after a record is always {@code
 * record.position().next()}, never a count. Ordered by partition, then offset.
 *
 * @param partition the partition, from 0
 * @param offset the offset within the partition, from 0
 */
public record Position(int partition, long offset) implements Comparable<Position> {

  /**
   * @throws IllegalArgumentException if {@code partition} or {@code offset} is negative
   */
  public Position {
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "Cannot build position "
              + partition
              + ":"
              + offset
              + ": partition and offset must be >= 0");
    }
  }

  /** The start of {@code partition}: offset 0. */
  public static Position start(int partition) {
    return new Position(partition, 0);
  }

  /** The position right after this one in the same partition. */
  public Position next() {
    return new Position(partition, offset + 1);
  }

  @Override
  public int compareTo(Position other) {
    int byPartition = Integer.compare(partition, other.partition);
    return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
  }

  /** {@code partition:offset}, e.g. {@code 3:1024}. */
  @Override
  public String toString() {
    return partition + ":" + offset;
  }
}
