package dev.lockstep.io;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One data row of a source file, either {@link Accepted} with its typed values or {@link Rejected}
 * with the reason.
 */
public sealed interface ParsedRecord permits ParsedRecord.Accepted, ParsedRecord.Rejected {

  /**
   * The row's 1-based position among the file's data rows: for CSV the header is not counted and
   * neither are blank lines; for JSON lines it is the line number (blank lines are skipped but
   * counted); for Parquet it is the row index plus one.
   */
  long rowNumber();

  /**
   * A row whose every declared column was read.
   *
   * @param rowNumber see {@link ParsedRecord#rowNumber()}
   * @param eventTimeMillis the event time, epoch milliseconds UTC
   * @param ingestTimeMillis the ingest time from the source's ingest-time column, epoch milliseconds
   *     UTC; empty if and only if the source declares no such column
   * @param values one value per {@code source.columns()}, in that order: {@code Long}, {@code
   *     Double}, {@code String} or {@code null}; never null for a key column. The array is owned by
   *     the receiver (the reader does not reuse it); {@code equals} compares it by identity.
   */
  record Accepted(
      long rowNumber, long eventTimeMillis, OptionalLong ingestTimeMillis, Object[] values)
      implements ParsedRecord {
    public Accepted {
      Objects.requireNonNull(ingestTimeMillis, "ingestTimeMillis");
      Objects.requireNonNull(values, "values");
    }
  }

  /**
   * A row that was not read.
   *
   * @param rowNumber see {@link ParsedRecord#rowNumber()}
   * @param reason one line naming the column and what is wrong, e.g. {@code column 'amount': 'abc'
   *     is not a double}
   * @param raw the row as it is in the file: the line(s) of text for CSV and JSON lines, a JSON
   *     object of the declared columns for Parquet
   */
  record Rejected(long rowNumber, String reason, String raw) implements ParsedRecord {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(raw, "raw");
    }
  }
}
