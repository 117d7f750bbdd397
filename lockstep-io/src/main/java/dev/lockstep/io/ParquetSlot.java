package dev.lockstep.io;

import dev.lockstep.api.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * One declared column of a source bound to a Parquet column: how to read its physical values and
 * convert them to a Lockstep value or time. Holds the current row's raw value, so that a rejected
 * row can still be rendered.
 */
final class ParquetSlot {
  private static final int TO_LONG = 0;
  private static final int TO_DOUBLE = 1;
  private static final int DECIMAL = 2;
  private static final int TO_STRING = 3;
  private static final int TIME_UNITS = 4;
  private static final int TIME_INT96 = 5;
  private static final int TIME_DATE = 6;
  private static final int TIME_TEXT = 7;
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

  final String name;
  final String[] path;
  final PrimitiveTypeName physical;
  private final int conversion;
  private final boolean unsigned;
  private final int scale;
  private final long unitsPerMilli;
  private final boolean utc;
  private final ZoneId zone;
  /** Receives text values, or null for other columns. */
  private final StringConverter strings;

  boolean present;
  private long longValue;
  private double doubleValue;
  private org.apache.parquet.io.api.Binary binary;
  private long millis;

  private ParquetSlot(String name, PrimitiveType type, int conversion, long unitsPerMilli,
      boolean utc, Optional<ZoneId> zone) {
    this.name = name;
    this.path = new String[] {name};
    this.physical = type.getPrimitiveTypeName();
    this.conversion = conversion;
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    this.unsigned = annotation instanceof IntLogicalTypeAnnotation integer && !integer.isSigned();
    this.scale = annotation instanceof DecimalLogicalTypeAnnotation decimal ? decimal.getScale() : 0;
    this.unitsPerMilli = unitsPerMilli;
    this.utc = utc;
    this.zone = zone.orElse(null);
    this.strings = conversion == TO_STRING || conversion == TIME_TEXT ? new StringConverter() : null;
  }

  /** The converter the column reader should be built with. */
  org.apache.parquet.io.api.PrimitiveConverter converter() {
    return strings != null ? strings : ParquetFiles.UNUSED;
  }

  /**
   * Binds the column {@code name} of {@code binding}'s source to {@code file}'s column, as a value
   * of {@code type}, or as a time if {@code type} is null.
   *
   * @throws DataFileException if the file's column is nested or of a type that cannot be read so
   */
  static ParquetSlot bind(Path file, Type column, ValueType type, SourceBinding binding) {
    String name = column.getName();
    if (!column.isPrimitive() || column.isRepetition(Type.Repetition.REPEATED)) {
      throw new DataFileException("Cannot read " + file.getFileName() + ": column '" + name
          + "' is a nested or repeated column (Lockstep reads flat columns)");
    }
    PrimitiveType primitive = column.asPrimitiveType();
    PrimitiveTypeName physical = primitive.getPrimitiveTypeName();
    LogicalTypeAnnotation annotation = primitive.getLogicalTypeAnnotation();
    boolean integer = (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64)
        && (annotation == null || (annotation instanceof IntLogicalTypeAnnotation i
            && (i.isSigned() || physical == PrimitiveTypeName.INT32)));
    boolean text = (physical == PrimitiveTypeName.BINARY && annotation == null)
        || annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
        || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
    Optional<ZoneId> zone = binding.source.zone();
    int conversion = -1;
    long unitsPerMilli = 1;
    boolean utc = true;
    String expected;
    if (type == null) {
      expected = "timestamp (use a TIMESTAMP, INT64 epoch milliseconds, DATE or ISO-8601 string column)";
      if (annotation instanceof TimestampLogicalTypeAnnotation timestamp) {
        conversion = TIME_UNITS;
        unitsPerMilli = switch (timestamp.getUnit()) {
          case MILLIS -> 1L;
          case MICROS -> 1_000L;
          case NANOS -> 1_000_000L;
        };
        utc = timestamp.isAdjustedToUTC();
      } else if (physical == PrimitiveTypeName.INT64 && integer) {
        // plain INT64, or INT64 annotated as a signed 64-bit integer (DuckDB's BIGINT): epoch ms
        conversion = TIME_UNITS;
      } else if (physical == PrimitiveTypeName.INT96) {
        conversion = TIME_INT96;
      } else if (annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
        conversion = TIME_DATE;
        utc = false;
      } else if (text) {
        conversion = TIME_TEXT;
      }
      if (conversion >= 0 && !utc && zone.isEmpty()) {
        throw new DataFileException("Cannot read " + file.getFileName() + ": column '" + name
            + "' is " + ParquetTypes.describe(primitive) + ", a time without zone ("
            + binding.zoneHint + ")");
      }
    } else {
      expected = type.yamlName() + " (declare the column with the type it has, or convert it in the file)";
      switch (type) {
        case LONG -> conversion = integer ? TO_LONG : -1;
        case DOUBLE -> conversion = physical == PrimitiveTypeName.FLOAT
            || physical == PrimitiveTypeName.DOUBLE || integer ? TO_DOUBLE
            : annotation instanceof DecimalLogicalTypeAnnotation ? DECIMAL : -1;
        case STRING -> conversion = text ? TO_STRING : -1;
      }
    }
    if (conversion < 0) {
      throw new DataFileException("Cannot read " + file.getFileName() + ": column '" + name
          + "' is " + ParquetTypes.describe(primitive) + ", which Lockstep cannot read as a "
          + expected);
    }
    return new ParquetSlot(name, primitive, conversion, unitsPerMilli, utc, zone);
  }

  /** Reads the current value of {@code reader} into this slot and advances the reader. */
  void read(ColumnReader reader, int maxDefinition) {
    present = reader.getCurrentDefinitionLevel() == maxDefinition;
    if (present) {
      switch (physical) {
        case INT32 -> longValue = unsigned ? Integer.toUnsignedLong(reader.getInteger()) : reader.getInteger();
        case INT64 -> longValue = reader.getLong();
        case FLOAT -> doubleValue = reader.getFloat();
        case DOUBLE -> doubleValue = reader.getDouble();
        default -> {
          if (strings != null) {
            reader.writeCurrentValueToConverter();
          } else {
            binary = reader.getBinary();
          }
        }
      }
    }
    reader.consume();
  }

  /** The current value as a Lockstep value: Long, Double, String, or null. */
  Object value() {
    if (!present) {
      return null;
    }
    return switch (conversion) {
      case TO_LONG -> longValue;
      case TO_DOUBLE -> physical == PrimitiveTypeName.FLOAT || physical == PrimitiveTypeName.DOUBLE
          ? doubleValue : (double) longValue;
      case DECIMAL -> decimal().doubleValue();
      default -> strings.value();
    };
  }

  /**
   * Converts the current, present value to a time; returns a {@link TimestampParser} status and
   * leaves the epoch milliseconds in {@link #millis()}.
   */
  int time(TimestampParser parser) {
    long wallClock;
    long remainder = 0;
    switch (conversion) {
      case TIME_UNITS -> {
        wallClock = Math.floorDiv(longValue, unitsPerMilli);
        remainder = Math.floorMod(longValue, unitsPerMilli);
      }
      case TIME_INT96 -> {
        ByteBuffer bytes = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong();
        long day = Integer.toUnsignedLong(bytes.getInt()) - JULIAN_DAY_OF_EPOCH;
        wallClock = day * 86_400_000L + Math.floorDiv(nanosOfDay, 1_000_000L);
        remainder = Math.floorMod(nanosOfDay, 1_000_000L);
      }
      case TIME_DATE -> wallClock = longValue * 86_400_000L;
      default -> {
        int status = parser.parse(strings.value());
        millis = parser.millis();
        return status;
      }
    }
    millis = utc ? wallClock : TimestampParser.wallClockToUtc(wallClock, zone);
    return remainder != 0 ? TimestampParser.SUB_MILLISECOND : TimestampParser.OK;
  }

  long millis() {
    return millis;
  }

  /** The current value as it is in the file, for a JSON rendering: null, a number or text. */
  Object raw() {
    if (!present) {
      return null;
    }
    switch (conversion) {
      case TIME_UNITS: {
        long unitsPerSecond = unitsPerMilli * 1000L;
        long seconds = Math.floorDiv(longValue, unitsPerSecond);
        int nanos = (int) (Math.floorMod(longValue, unitsPerSecond) * (1_000_000L / unitsPerMilli));
        return utc
            ? Instant.ofEpochSecond(seconds, nanos).toString()
            : LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC).toString();
      }
      case TIME_INT96: {
        ByteBuffer bytes = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong();
        long day = Integer.toUnsignedLong(bytes.getInt()) - JULIAN_DAY_OF_EPOCH;
        return Instant.ofEpochSecond(day * 86_400L, nanosOfDay).toString();
      }
      case TIME_DATE:
        return LocalDate.ofEpochDay(longValue).toString();
      case TIME_TEXT:
        return strings.value();
      case DECIMAL:
        return decimal();
      default:
        return value();
    }
  }

  private BigDecimal decimal() {
    BigInteger unscaled = physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64
        ? BigInteger.valueOf(longValue)
        : new BigInteger(binary.getBytes());
    return new BigDecimal(unscaled, scale);
  }
}
