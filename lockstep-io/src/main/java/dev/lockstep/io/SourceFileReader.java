package dev.lockstep.io;

import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.io.IoReasons;
import dev.lockstep.api.definition.Source;
import dev.lockstep.spi.CloseableIterator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads one file of a source into {@link ParsedRecord}s, in file order, by the source's format:
 * CSV (UTF-8, a header row, RFC 4180 quoting), JSON lines (one object per line), or Parquet.
 *
 * <p>Every row is either accepted with its values in {@code source.columns()} order or rejected
 * with a one-line reason; the reason names the first problem found, checking the event time, the
 * ingest time, then the columns in declared order. Rules:
 *
 * <ul>
 *   <li>Key columns must be present and non-null ({@code column 'card_id': missing key}); the event
 *       time must be present; the ingest time too if the source declares its column. Other columns
 *       may be null. In CSV an empty field (quoted or not) is null; in JSON a missing field or
 *       {@code null} is null.
 *   <li>Times as text: ISO-8601 {@code 2026-01-31T10:00:00[.fff]Z} or with an offset ({@code
 *       +01:00}, {@code +0100}, {@code +01}); a space may replace the {@code T}, seconds may be left
 *       out; without offset (and a date alone, meaning midnight) only if the source declares a zone,
 *       the earlier offset being taken in a daylight-saving overlap and a time in a gap moved
 *       forward by the gap; or epoch milliseconds as an integer. In JSON an integer is epoch
 *       milliseconds. In Parquet: {@code TIMESTAMP} (millis, micros or nanos; not adjusted to UTC
 *       needs the zone), {@code INT96} (UTC, as Spark writes it), plain {@code INT64} (epoch
 *       milliseconds), {@code DATE} (midnight in the zone) or a string.
 *   <li>Times are kept in milliseconds: a time with non-zero digits below the millisecond is
 *       rejected rather than truncated, since truncating would tie events that are distinct and
 *       order them by ingest time instead ({@code .123000} is fine).
 *   <li>Long columns take integers only ({@code '1.5' is not a long}); double columns take any
 *       finite number (CSV: {@code [+-]digits[.digits][e[+-]digits]}, no {@code NaN}, {@code
 *       Infinity} or spaces; Parquet: also {@code FLOAT}, integers and {@code DECIMAL}); string
 *       columns take text. JSON values of another kind are rejected rather than converted: a
 *       string for a number column ({@code "12.5" is a string, not a double (write the number
 *       without quotes)}), a number for a string column ({@code 123 is a number, not a string
 *       (quote it, or declare the column as long)}), booleans, objects and arrays.
 *   <li>Columns the source does not declare are ignored. A declared column the file lacks (CSV
 *       header, Parquet schema) fails the whole file, as does a Parquet column whose type the
 *       declared type cannot read. JSON lines have no header: a missing field is a null.
 * </ul>
 *
 * <p>Throughput on one core: CSV and JSON are parsed from bytes without decoding what is not a
 * string; Parquet is read column by column through parquet-column's readers, local files through
 * NIO without a Hadoop file system.
 */
public final class SourceFileReader {
  private SourceFileReader() {}

  /**
   * Opens {@code file} as a file of {@code source}. Close the iterator when done.
   *
   * @throws DataFileException if the file cannot be opened, lacks a declared column, has a column
   *     of a type the declaration cannot read, or the source is not file-based; {@code hasNext()}
   *     and {@code next()} throw it if reading fails midway
   */
  public static SourceRows open(Path file, Source source) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    SourceBinding binding = new SourceBinding(source);
    refuseOtherFormat(file, source);
    return switch (source.format()) {
      case CSV -> new CsvSourceReader(file, binding);
      case JSONL -> new JsonLinesSourceReader(file, binding);
      case PARQUET -> new ParquetSourceReader(file, binding);
      case ICEBERG -> throw new DataFileException(
          "Cannot read "
              + file.getFileName()
              + ": source "
              + source.name()
              + " is an Iceberg table, not files (scan the table instead)");
    };
  }

  /**
   * A file whose name says it holds another of the file formats (data.parquet for a CSV source) is
   * refused rather than parsed as garbage.
   */
  private static void refuseOtherFormat(Path file, Source source) {
    if (source.format() == SourceFormat.ICEBERG) {
      return; // refused below, as not files at all
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    SourceFormat named = name.endsWith(".parquet") ? SourceFormat.PARQUET
        : name.endsWith(".csv") ? SourceFormat.CSV
            : name.endsWith(".jsonl") || name.endsWith(".ndjson") ? SourceFormat.JSONL : null;
    if (named != null && named != source.format()) {
      throw new DataFileException("Cannot read " + file.getFileName() + ": its name says " + named.yamlName()
          + " but source " + source.name() + " reads " + source.format().yamlName() + " files (convert the file,"
          + " or rename it if its name is wrong)");
    }
  }

  static DataFileException cannotRead(Path file, IOException e) {
    return new DataFileException("Cannot read " + file + ": " + IoReasons.of(e), e);
  }
}
