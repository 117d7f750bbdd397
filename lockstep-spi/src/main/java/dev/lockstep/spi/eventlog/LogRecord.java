package dev.lockstep.spi.eventlog;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record to append to a stream: opaque key and value bytes and a timestamp, all stored and
 * returned unchanged. The key decides the partition; the value is the encoded event. The arrays are
 * not copied (see {@link dev.lockstep.spi.Backend}); equality compares their contents.
 *
 * @param key the partitioning key, e.g. the encoded entity key; may be empty, never null
 * @param value the encoded event; never null
 * @param timestampMillis milliseconds since the epoch, chosen by the writer (Lockstep writes the
 *     ingest time); the log neither assigns nor reorders by it
 */
public record LogRecord(byte[] key, byte[] value, long timestampMillis) {

  /**
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public LogRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogRecord record
        && timestampMillis == record.timestampMillis
        && Arrays.equals(key, record.key)
        && Arrays.equals(value, record.value);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(value))
        + Long.hashCode(timestampMillis);
  }

  /** Sizes only: the bytes may be personal data. */
  @Override
  public String toString() {
    return "LogRecord[key="
        + key.length
        + " bytes, value="
        + value.length
        + " bytes, timestampMillis="
        + timestampMillis
        + "]";
  }
}
