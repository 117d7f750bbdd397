package dev.lockstep.spi.eventlog;

import java.util.Objects;

/**
 * A record read back from a stream, with the position the log assigned it when it was appended.
 *
 * @param position where the record is; {@code position().next()} is where to read on from
 * @param record the record exactly as appended
 */
public record LogEntry(Position position, LogRecord record) {

  /**
   * @throws NullPointerException if an argument is null
   */
  public LogEntry {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(record, "record");
  }
}
