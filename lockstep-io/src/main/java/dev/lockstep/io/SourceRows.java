package dev.lockstep.io;

import dev.lockstep.spi.CloseableIterator;

/**
 * The records of one source file, and the raw text of the record read last, for quarantining a row
 * that parsed but failed a contract rule. The raw text is built only when asked for.
 */
public interface SourceRows extends CloseableIterator<ParsedRecord> {
  /**
   * The record last returned by {@code next()}, as it is in the file (see {@link
   * ParsedRecord.Rejected#raw()}); valid until {@code hasNext()} is called again.
   */
  String raw();

  /** What makes {@link #raw()} readable on its own again: a CSV file's header line; null for other formats. */
  default String header() {
    return null;
  }
}
