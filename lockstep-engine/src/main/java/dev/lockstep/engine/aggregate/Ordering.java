package dev.lockstep.engine.aggregate;

/** The two orders aggregations rely on: of events, and of strings. */
public final class Ordering {
  private Ordering() {}

  /**
   * Compares two events by {@code (eventTime, ingestTime, sequence)}, the order in which docs/architecture.md "Semantics"
   * aggregates values.
   */
  public static int compareEvents(
      long eventTime1, long ingestTime1, long sequence1,
      long eventTime2, long ingestTime2, long sequence2) {
    if (eventTime1 != eventTime2) {
      return Long.compare(eventTime1, eventTime2);
    }
    if (ingestTime1 != ingestTime2) {
      return Long.compare(ingestTime1, ingestTime2);
    }
    return Long.compare(sequence1, sequence2);
  }

  /**
   * Compares strings by Unicode code point, which is the byte order of their UTF-8 encoding (the
   * order of Parquet, DuckDB and Spark), unlike {@link String#compareTo}, which orders UTF-16 code
   * units and puts U+FFFD after supplementary characters.
   */
  public static int compareStrings(String left, String right) {
    int length = Math.min(left.length(), right.length());
    for (int i = 0; i < length; i++) {
      char a = left.charAt(i);
      char b = right.charAt(i);
      if (a != b) {
        return Integer.compare(codePointOrderKey(a), codePointOrderKey(b));
      }
    }
    return Integer.compare(left.length(), right.length());
  }

  /** Moves surrogates above U+E000..U+FFFF so that code units order like code points. */
  private static int codePointOrderKey(char c) {
    if (c < 0xD800) {
      return c;
    }
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
