package dev.lockstep.embedded.log;

import dev.lockstep.spi.eventlog.LogRecord;
import java.util.List;

/**
 * The records one {@code append} call sends to one partition, queued for that partition's group
 * commit, and what became of them. Written by the leader that commits it, read by the caller after
 * {@link AppendWaiter#next} says it is done (the waiter's monitor orders the two).
 */
final class AppendRequest {
  private final PartitionLog partition;
  private final List<LogRecord> records;
  private final int[] batchIndexes;
  private final AppendWaiter waiter;
  private long firstOffset = -1;
  private RuntimeException failure;
  private boolean outcomeUnknown;

  /**
   * @param batchIndexes for each record, its index in the caller's batch
   */
  AppendRequest(PartitionLog partition, List<LogRecord> records, int[] batchIndexes,
      AppendWaiter waiter) {
    this.partition = partition;
    this.records = records;
    this.batchIndexes = batchIndexes;
    this.waiter = waiter;
  }

  PartitionLog partition() {
    return partition;
  }

  AppendWaiter waiter() {
    return waiter;
  }

  List<LogRecord> records() {
    return records;
  }

  int[] batchIndexes() {
    return batchIndexes;
  }

  /** The offset of the first record; the others follow it contiguously. -1 if it failed. */
  long firstOffset() {
    return firstOffset;
  }

  RuntimeException failure() {
    return failure;
  }

  /** Whether the records may have been written although the request failed. */
  boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  /** The records are durable from {@code offset} on. */
  void complete(long offset) {
    firstOffset = offset;
    waiter.done();
  }

  /** The records were not appended ({@code unknown}: may have been). */
  void fail(RuntimeException cause, boolean unknown) {
    failure = cause;
    outcomeUnknown = unknown;
    waiter.done();
  }

  /** Makes the caller the partition's leader for the next group, which includes this request. */
  void promote() {
    waiter.promote(this);
  }
}
