package dev.lockstep.core.io;

import dev.lockstep.api.definition.Source;
import dev.lockstep.spi.CloseableIterator;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
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
 *   <li>Times: see {@link TimestampParser} for text; in JSON an integer is epoch milliseconds; in
 *       Parquet a {@code TIMESTAMP} (millis, micros or nanos), an {@code INT96} timestamp (UTC, as
 *       Spark writes it), a plain {@code INT64} (epoch milliseconds), a {@code DATE} (midnight,
 *       needs the source's zone) or a string. Times with non-zero digits below the millisecond
 *       are rejected, as are zone-less times when the source declares no zone.
 *   <li>Long columns take integers only ({@code '1.5' is not a long}); double columns take any
 *       number (CSV: see {@link NumberParser}; Parquet: also {@code FLOAT}, integers and {@code
 *       DECIMAL}); string columns take text. JSON values of another kind are rejected rather than
 *       converted: a string for a number column ({@code "12.5" is a string, not a double (write
 *       the number without quotes)}), a number for a string column ({@code 123 is a number, not a
 *       string (quote it, or declare the column as long)}), booleans, objects and arrays.
 *   <li>Columns the source does not declare are ignored. A declared column the file lacks (CSV
 *       header, Parquet schema) fails the whole file, as does a Parquet column whose type the
 *       declared type cannot read. JSON lines have no header: a missing field is a null.
 * </ul>
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
  public static CloseableIterator<ParsedRecord> open(Path file, Source source) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    SourceBinding binding = new SourceBinding(source);
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

  static DataFileException cannotRead(Path file, IOException e) {
    String reason =
        e instanceof NoSuchFileException ? "there is no such file (" + file + ")" : String.valueOf(e.getMessage());
    return new DataFileException("Cannot read " + file.getFileName() + ": " + reason, e);
  }
}
