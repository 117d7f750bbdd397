package dev.lockstep.spi.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One event in an offline table: its time and sequence, and its payload values by position in the
 * table's {@link Schema} (or in the selected columns, for a projected scan). Times are milliseconds
 * since the epoch, UTC. Immutable.
 *
 * @param eventTimeMillis when the event happened, from the data
 * @param ingestTimeMillis when Lockstep accepted it
 * @param sequence the durable sequence assigned at ingest; breaks ties of (event time, ingest time)
 * @param values {@code Long}, {@code Double}, {@code String} or {@code null} values, by position
 */
public record Row(long eventTimeMillis, long ingestTimeMillis, long sequence, List<Object> values) {
  /**
   * The earliest and latest time every offline store holds, in milliseconds since the epoch: times
   * in microseconds must fit a long (Iceberg and Parquet timestamps), years -290,308 to 294,247.
   * Write paths refuse events outside it at the door.
   */
  public static final long MAX_TIME_MILLIS = Long.MAX_VALUE / 1000;

  /** See {@link #MAX_TIME_MILLIS}. */
  public static final long MIN_TIME_MILLIS = -MAX_TIME_MILLIS;

  /** Whether {@code millis} lies within the times every offline store holds. */
  public static boolean storableTime(long millis) {
    return millis >= MIN_TIME_MILLIS && millis <= MAX_TIME_MILLIS;
  }

  /**
   * @throws IllegalArgumentException if a value is not a {@code Long}, {@code Double}, {@code
   *     String} or null
   */
  public Row {
    List<Object> copy = new ArrayList<>(values);
    for (int i = 0; i < copy.size(); i++) {
      Object value = copy.get(i);
      if (value != null
          && !(value instanceof Long || value instanceof Double || value instanceof String)) {
        throw new IllegalArgumentException(
            "Cannot build row: value "
                + i
                + " is a "
                + value.getClass().getSimpleName()
                + " (use Long, Double, String or null)");
      }
    }
    values = Collections.unmodifiableList(copy);
  }

  /** A row of these values, in column order. */
  public static Row of(
      long eventTimeMillis, long ingestTimeMillis, long sequence, Object... values) {
    return new Row(eventTimeMillis, ingestTimeMillis, sequence, Arrays.asList(values));
  }

  /** The value at {@code position}, from 0; may be null. */
  public Object value(int position) {
    return values.get(position);
  }

  /** The number of values. */
  public int size() {
    return values.size();
  }
}
