package dev.lockstep.spi.offline;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed state of an offline table. Every {@code append} and every erase commits one. A
 * training-set manifest records the snapshot ids it read, so they can be read again.
 *
 * @param id unique within the table; not necessarily increasing (Iceberg ids are random)
 * @param committedAt when the commit happened, by the store's clock
 * @param operation what the commit did
 */
public record Snapshot(long id, Instant committedAt, Operation operation) {

  /** What a commit did to the table. */
  public enum Operation {
    /** Added rows. */
    APPEND,
    /** Removed rows, e.g. to forget an entity. */
    DELETE
  }

  /**
   * @throws NullPointerException if {@code committedAt} or {@code operation} is null
   */
  public Snapshot {
    Objects.requireNonNull(committedAt, "committedAt");
    Objects.requireNonNull(operation, "operation");
  }
}
