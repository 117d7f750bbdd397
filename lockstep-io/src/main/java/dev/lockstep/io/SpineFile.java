package dev.lockstep.io;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.CloseableIterator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * A spine stored as a CSV file, a Parquet file, or a directory of Parquet files: its columns and
 * its rows, which can be read any number of times, always in the same order.
 *
 * <p>CSV columns are all {@link ColumnType#STRING}; each value is the field's text exactly
 * (quotes undoubled), an empty field being null. Parquet columns keep their type (see {@link
 * ColumnType}) and are boxed as its {@link ColumnType#valueClass()} says. The caller names the time
 * and key columns and reads them with {@link #timeMillis} and {@link #keyValue}.
 */
public final class SpineFile {
  private static final int SAMPLE_BYTES = 1 << 16;

  private final Path path;
  private final boolean csv;
  private final List<Path> parquetFiles;
  private final List<SpineColumn> columns;
  private final long estimatedRows;

  private SpineFile(Path path, boolean csv, List<Path> parquetFiles, List<SpineColumn> columns,
      long estimatedRows) {
    this.path = path;
    this.csv = csv;
    this.parquetFiles = parquetFiles;
    this.columns = List.copyOf(columns);
    this.estimatedRows = estimatedRows;
  }

  /**
   * Opens the spine at {@code path}: a {@code .csv} file, a {@code .parquet} file, or a directory
   * whose {@code .parquet} files (hidden ones skipped) are read in name order.
   *
   * @throws DataFileException if the path has another extension, cannot be read, has no header,
   *     names a column twice, or has a Parquet column a spine cannot pass through (nested,
   *     repeated, decimal, INT96, unsigned, ...)
   */
  public static SpineFile open(Path path) {
    Objects.requireNonNull(path, "path");
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!Files.isDirectory(path) && name.endsWith(".csv")) {
      List<SpineColumn> columns;
      try (CsvSpineRows rows = CsvSpineRows.open(path)) {
        columns = rows.header().stream()
            .map(column -> new SpineColumn(column, ColumnType.STRING))
            .collect(Collectors.toList());
      }
      return new SpineFile(path, true, List.of(), columns, estimateCsvRows(path));
    }
    if (!Files.isDirectory(path) && !name.endsWith(".parquet")) {
      throw new DataFileException("Cannot read " + path.getFileName()
          + ": its format is unknown (use a .csv or .parquet file, or a directory of .parquet files)");
    }
    List<Path> files = ParquetFiles.dataFiles(path);
    List<SpineColumn> columns = null;
    long rows = 0;
    for (Path file : files) {
      try (ParquetFileReader reader = ParquetFiles.open(file)) {
        List<SpineColumn> found =
            ParquetSpineRows.columns(file, reader.getFooter().getFileMetaData().getSchema());
        if (columns == null) {
          columns = found;
        } else if (!columns.equals(found)) {
          throw new DataFileException("Cannot read " + file.getFileName() + ": its columns " + found
              + " differ from those of " + files.get(0).getFileName() + " " + columns
              + " (every file of a spine must have the same columns)");
        }
        rows += reader.getRecordCount();
      } catch (IOException e) {
        throw SourceFileReader.cannotRead(file, e);
      }
    }
    return new SpineFile(path, false, files, columns, rows);
  }

  /** The file or directory this spine was opened from. */
  public Path path() {
    return path;
  }

  /** The columns, in file order. */
  public List<SpineColumn> columns() {
    return columns;
  }

  /**
   * The position of the column {@code name}.
   *
   * @throws DataFileException naming the columns there are, if there is no such column
   */
  public int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new DataFileException("Cannot use spine " + path.getFileName() + ": it has no column '" + name
        + "' (it has " + columns.stream().map(SpineColumn::name).collect(Collectors.joining(", ")) + ")");
  }

  /**
   * The number of rows: exact for Parquet (from the footers), estimated from the first 64 KiB for
   * CSV; 0 for an empty spine.
   */
  public long estimatedRows() {
    return estimatedRows;
  }

  /**
   * Streams the rows from the first; each array is new, with one value per column. Close it.
   *
   * @throws DataFileException on opening, or from {@code hasNext()} and {@code next()}, if the
   *     files cannot be read, a CSV record is malformed or has another number of fields than the
   *     header, or the files changed so that their columns differ
   */
  public CloseableIterator<Object[]> rows() {
    if (csv) {
      CsvSpineRows rows = CsvSpineRows.open(path);
      if (!rows.header().equals(columns.stream().map(SpineColumn::name).toList())) {
        rows.close();
        throw new DataFileException("Cannot read " + path.getFileName() + ": its header changed since it was opened");
      }
      return rows;
    }
    return new ParquetSpineRows(parquetFiles, columns);
  }

  /**
   * The time {@code value} of a column of {@code type}, in epoch milliseconds UTC.
   *
   * <ul>
   *   <li>{@link ColumnType#STRING}: text as a source's time (ISO-8601 with {@code Z} or an offset,
   *       zone-less date-time or date only with {@code zone}, or epoch milliseconds).
   *   <li>{@code TIMESTAMP_*_UTC}: converted; {@code TIMESTAMP_*_LOCAL} and {@link
   *       ColumnType#DATE} (midnight): read in {@code zone}, which they need; {@link
   *       ColumnType#LONG}: epoch milliseconds.
   * </ul>
   *
   * <p>A time with non-zero digits below the millisecond is rounded <em>up</em>: features are
   * evaluated over events strictly before the time, and since event times are whole milliseconds,
   * {@code event < t} holds exactly when {@code event < ceil(t)}. So no event is gained or lost.
   *
   * @param zone the zone of wall-clock times, if the spine has such
   * @throws InvalidValueException if the value is null, not a timestamp, lacks a zone, or the type
   *     cannot hold times
   */
  public static long timeMillis(Object value, ColumnType type, Optional<ZoneId> zone) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(zone, "zone");
    if (value == null) {
      throw new InvalidValueException("the time is missing");
    }
    String zoneHint = "add an offset such as Z, or give the spine's zone";
    if (type == ColumnType.STRING) {
      TimestampParser parser = new TimestampParser(zone);
      int status = parser.parse((String) value);
      if (status == TimestampParser.OK) {
        return parser.millis();
      }
      if (status == TimestampParser.SUB_MILLISECOND) {
        return parser.millis() + 1;
      }
      throw new InvalidValueException(TimestampParser.reason(status, (String) value, zoneHint));
    }
    if (type == ColumnType.LONG) {
      return (Long) value;
    }
    if (type == ColumnType.DATE || type.local()) {
      if (zone.isEmpty()) {
        throw new InvalidValueException(
            "a " + type + " value is a time without zone (give the spine's zone)");
      }
      long wallClock = type == ColumnType.DATE
          ? (Integer) value * 86_400_000L
          : -Math.floorDiv(-(Long) value, type.unitsPerMilli());
      return TimestampParser.wallClockToUtc(wallClock, zone.get());
    }
    if (type.unitsPerMilli() > 0) {
      return -Math.floorDiv(-(Long) value, type.unitsPerMilli());
    }
    throw new InvalidValueException("a " + type + " column cannot hold times (use a timestamp,"
        + " date, epoch milliseconds or ISO-8601 text)");
  }

  /**
   * The key {@code value} of a column of {@code type} as a key of {@code keyType}: a {@code Long}
   * for {@link ValueType#LONG} (from {@code LONG}, {@code INT}, or {@code STRING} text of an
   * integer), a {@code String} for {@link ValueType#STRING} (from {@code STRING}, or the decimal
   * text of a {@code LONG} or {@code INT}); null stays null.
   *
   * @throws InvalidValueException if the value cannot be such a key
   */
  public static Object keyValue(Object value, ColumnType type, ValueType keyType) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(keyType, "keyType");
    if (value == null) {
      return null;
    }
    if (keyType == ValueType.LONG) {
      switch (type) {
        case LONG:
          return value;
        case INT:
          return (long) (Integer) value;
        case STRING:
          byte[] text = ((String) value).getBytes(StandardCharsets.UTF_8);
          NumberParser parser = new NumberParser();
          int status = parser.parseLong(text, 0, text.length);
          if (status == NumberParser.OK) {
            return parser.longValue();
          }
          throw new InvalidValueException(status == NumberParser.OUT_OF_RANGE
              ? SourceBinding.outOfRange(ValueType.LONG, (String) value)
              : SourceBinding.notA(ValueType.LONG, (String) value));
        default:
          break;
      }
    } else if (keyType == ValueType.STRING) {
      if (type == ColumnType.STRING) {
        return value;
      }
      if (type == ColumnType.LONG || type == ColumnType.INT) {
        return value.toString();
      }
    }
    throw new InvalidValueException("a " + type + " value cannot be a " + keyType.yamlName() + " key");
  }

  /** Counts the records of the first 64 KiB: exact for a file that small, scaled up otherwise. */
  private static long estimateCsvRows(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] sample = in.readNBytes(SAMPLE_BYTES);
      CsvTokenizer records = new CsvTokenizer(new ByteArrayInputStream(sample));
      long count = -1; // the header
      while (records.next()) {
        count++;
      }
      if (count <= 0 || sample.length < SAMPLE_BYTES) {
        return Math.max(0, count);
      }
      return (long) ((double) Files.size(file) / sample.length * count);
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
  }
}
