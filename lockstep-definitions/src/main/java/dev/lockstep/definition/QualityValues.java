package dev.lockstep.definition;

import dev.lockstep.api.ValueType;

/** Values written as text in a contract (allowed values), read as the column's type. */
public final class QualityValues {
  private QualityValues() {}

  /** {@code text} as a {@code Long}, {@code Double} or {@code String} of {@code type}; null if it is not one. */
  public static Object parse(ValueType type, String text) {
    try {
      switch (type) {
        case LONG:
          return Long.parseLong(text.strip());
        case DOUBLE:
          return Double.parseDouble(text.strip());
        default:
          return text;
      }
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
