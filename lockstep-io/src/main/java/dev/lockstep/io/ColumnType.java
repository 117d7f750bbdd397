package dev.lockstep.io;

import dev.lockstep.api.ValueType;

/**
 * The type of a spine or training-set column, fine enough to pass any supported Parquet column
 * through unchanged: each constant names the Parquet type it is read from and written as, and the
 * Java class of its values. CSV columns are all {@link #STRING}.
 */
public enum ColumnType {
  /** {@code BINARY (STRING)}, or a CSV field; values are {@code String}. */
  STRING(String.class),
  /** {@code BINARY} without annotation; values are {@code byte[]}. */
  BINARY(byte[].class),
  /** {@code INT64}; values are {@code Long}. */
  LONG(Long.class),
  /** {@code INT32} (also {@code INT(8)} and {@code INT(16)}, written as plain {@code INT32}); values are {@code Integer}. */
  INT(Integer.class),
  /** {@code DOUBLE}; values are {@code Double}. */
  DOUBLE(Double.class),
  /** {@code FLOAT}; values are {@code Float}. */
  FLOAT(Float.class),
  /** {@code BOOLEAN}; values are {@code Boolean}. */
  BOOLEAN(Boolean.class),
  /** {@code INT64 TIMESTAMP(MILLIS, adjustedToUTC)}; values are epoch milliseconds as {@code Long}. */
  TIMESTAMP_MILLIS_UTC(Long.class),
  /** {@code INT64 TIMESTAMP(MICROS, adjustedToUTC)}; values are epoch microseconds as {@code Long}. */
  TIMESTAMP_MICROS_UTC(Long.class),
  /** {@code INT64 TIMESTAMP(NANOS, adjustedToUTC)}; values are epoch nanoseconds as {@code Long}. */
  TIMESTAMP_NANOS_UTC(Long.class),
  /**
   * {@code INT64 TIMESTAMP(MILLIS)} not adjusted to UTC: a wall-clock time; values are milliseconds
   * since 1970-01-01T00:00 of that wall clock as {@code Long}.
   */
  TIMESTAMP_MILLIS_LOCAL(Long.class),
  /** As {@link #TIMESTAMP_MILLIS_LOCAL} in microseconds. */
  TIMESTAMP_MICROS_LOCAL(Long.class),
  /** As {@link #TIMESTAMP_MILLIS_LOCAL} in nanoseconds. */
  TIMESTAMP_NANOS_LOCAL(Long.class),
  /** {@code INT32 DATE}; values are days since 1970-01-01 as {@code Integer}. */
  DATE(Integer.class);

  private final Class<?> valueClass;

  ColumnType(Class<?> valueClass) {
    this.valueClass = valueClass;
  }

  /** The class of this type's non-null values. */
  public Class<?> valueClass() {
    return valueClass;
  }

  /** The column type of feature values of {@code type}: {@link #LONG}, {@link #DOUBLE} or {@link #STRING}. */
  public static ColumnType of(ValueType type) {
    return switch (type) {
      case LONG -> LONG;
      case DOUBLE -> DOUBLE;
      case STRING -> STRING;
    };
  }

  /** Units of this timestamp type per millisecond, or 0 if it is not a timestamp type. */
  long unitsPerMilli() {
    return switch (this) {
      case TIMESTAMP_MILLIS_UTC, TIMESTAMP_MILLIS_LOCAL -> 1L;
      case TIMESTAMP_MICROS_UTC, TIMESTAMP_MICROS_LOCAL -> 1_000L;
      case TIMESTAMP_NANOS_UTC, TIMESTAMP_NANOS_LOCAL -> 1_000_000L;
      default -> 0L;
    };
  }

  /** Whether this is a wall-clock timestamp type, which needs a zone to be an instant. */
  boolean local() {
    return this == TIMESTAMP_MILLIS_LOCAL || this == TIMESTAMP_MICROS_LOCAL || this == TIMESTAMP_NANOS_LOCAL;
  }
}
