package dev.lockstep.testkit.oracle;

import dev.lockstep.api.ValueType;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The total orders used by min, max and percentiles: longs by value, doubles by
 * {@link Double#compare} (so {@code -0.0 < 0.0} and NaN is greatest), strings by Unicode code point
 * (the byte order of UTF-8), which differs from {@link String#compareTo} for characters above the
 * surrogate range, such as U+FFFD versus U+1F600.
 */
final class ValueOrder {
  private ValueOrder() {}

  static Comparator<Object> of(ValueType type) {
    return switch (type) {
      case LONG -> (a, b) -> Long.compare((Long) a, (Long) b);
      case DOUBLE -> (a, b) -> Double.compare((Double) a, (Double) b);
      case STRING -> (a, b) -> compareCodePoints((String) a, (String) b);
    };
  }

  /** Lexicographic order of the code point sequences; a proper prefix sorts first. */
  static int compareCodePoints(String a, String b) {
    return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }
}
