package dev.lockstep.spi.offline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to read from an offline table: which snapshot, which event times, which columns. Immutable;
 * start from {@link #latest()} or {@link #atSnapshot(long)} and narrow with the {@code withX}
 * methods.
 *
 * <p>The event-time range is half-open, {@code from <= event_time < to}, each bound optional.
 * Bounds are rounded up to the millisecond, which does not change which events fall in the range
 * since event times are whole milliseconds.
 */
public final class ScanRequest {
  private static final ScanRequest LATEST = new ScanRequest(null, null, null, List.of());

  private final Long snapshotId;
  private final Long fromMillis;
  private final Long toMillis;
  private final List<String> columns;

  private ScanRequest(Long snapshotId, Long fromMillis, Long toMillis, List<String> columns) {
    this.snapshotId = snapshotId;
    this.fromMillis = fromMillis;
    this.toMillis = toMillis;
    this.columns = columns;
  }

  /** Every row and column of the table's current snapshot. */
  public static ScanRequest latest() {
    return LATEST;
  }

  /** Every row and column of snapshot {@code snapshotId}. */
  public static ScanRequest atSnapshot(long snapshotId) {
    return new ScanRequest(snapshotId, null, null, List.of());
  }

  /**
   * A copy reading only events with {@code from <= event_time < to}; a null bound is unbounded.
   *
   * @throws IllegalArgumentException if {@code from} is after {@code to}
   */
  public ScanRequest withEventTimeRange(Instant from, Instant to) {
    Long fromMillis = from == null ? null : ceilMillis(from);
    Long toMillis = to == null ? null : ceilMillis(to);
    if (fromMillis != null && toMillis != null && fromMillis > toMillis) {
      throw new IllegalArgumentException(
          "Cannot scan event times from "
              + from
              + " to "
              + to
              + ": the range ends before it starts");
    }
    return new ScanRequest(snapshotId, fromMillis, toMillis, columns);
  }

  /**
   * A copy returning only the named columns, in this order; an empty list means every column.
   *
   * @throws IllegalArgumentException if a name is given twice
   */
  public ScanRequest withColumns(List<String> columns) {
    List<String> copy = List.copyOf(columns);
    if (copy.stream().distinct().count() != copy.size()) {
      throw new IllegalArgumentException(
          "Cannot scan columns " + copy + ": a column is named twice");
    }
    return new ScanRequest(snapshotId, fromMillis, toMillis, copy);
  }

  /** The snapshot to read, or empty for the current one. */
  public OptionalLong snapshotId() {
    return snapshotId == null ? OptionalLong.empty() : OptionalLong.of(snapshotId);
  }

  /** The inclusive lower bound of event time, if any. */
  public Optional<Instant> eventTimeFrom() {
    return Optional.ofNullable(fromMillis).map(Instant::ofEpochMilli);
  }

  /** The exclusive upper bound of event time, if any. */
  public Optional<Instant> eventTimeTo() {
    return Optional.ofNullable(toMillis).map(Instant::ofEpochMilli);
  }

  /** The columns to return, in order; empty for every column in schema order. */
  public List<String> columns() {
    return columns;
  }

  /** Whether an event at {@code eventTimeMillis} falls in the event-time range. */
  public boolean includes(long eventTimeMillis) {
    return (fromMillis == null || fromMillis <= eventTimeMillis)
        && (toMillis == null || eventTimeMillis < toMillis);
  }

  private static long ceilMillis(Instant instant) {
    long millis = instant.toEpochMilli();
    return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ScanRequest request
        && Objects.equals(snapshotId, request.snapshotId)
        && Objects.equals(fromMillis, request.fromMillis)
        && Objects.equals(toMillis, request.toMillis)
        && columns.equals(request.columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(snapshotId, fromMillis, toMillis, columns);
  }

  @Override
  public String toString() {
    return "ScanRequest{snapshot="
        + (snapshotId == null ? "latest" : snapshotId)
        + ", eventTime=["
        + eventTimeFrom().map(Instant::toString).orElse("-inf")
        + ", "
        + eventTimeTo().map(Instant::toString).orElse("+inf")
        + ")"
        + ", columns="
        + (columns.isEmpty() ? "all" : columns)
        + "}";
  }
}
