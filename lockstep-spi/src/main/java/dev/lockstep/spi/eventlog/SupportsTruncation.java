package dev.lockstep.spi.eventlog;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;

/**
 * An event log that can drop the oldest records of a partition, once they are safely in the offline
 * store, to bound its disk use.
 */
public interface SupportsTruncation extends EventLog {

  /**
   * Makes every record of {@code before.partition()} with an offset below {@code before.offset()}
   * unreadable, durably, and frees their space eventually. Truncating at or before the current
   * start does nothing.
   *
   * @throws NotFoundException if there is no such stream or partition
   * @throws IllegalArgumentException if {@code before} is after the partition's end position
   * @throws BackendException if the log cannot be reached; retrying is safe
   */
  void truncate(String stream, Position before);
}
