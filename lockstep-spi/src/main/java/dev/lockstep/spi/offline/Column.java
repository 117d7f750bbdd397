package dev.lockstep.spi.offline;

import dev.lockstep.api.ValueType;
import java.util.Objects;

/**
 * A named, typed column of an offline table. Values of a column are Java {@code Long}, {@code
 * Double} or {@code String} for {@link ValueType#LONG}, {@link ValueType#DOUBLE} and {@link
 * ValueType#STRING}; {@code null} only if the column is nullable.
 *
 * @param name the column's name; case-sensitive, not blank
 * @param type the type of its values
 * @param nullable whether a value may be null
 */
public record Column(String name, ValueType type, boolean nullable) {

  /**
   * @throws IllegalArgumentException if {@code name} is blank
   * @throws NullPointerException if {@code name} or {@code type} is null
   */
  public Column {
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Cannot build column: its name is blank");
    }
  }

  /** A nullable column. */
  public static Column nullable(String name, ValueType type) {
    return new Column(name, type, true);
  }

  /** A column whose values are never null. */
  public static Column required(String name, ValueType type) {
    return new Column(name, type, false);
  }

  /** Whether {@code value} may be stored in this column. */
  public boolean accepts(Object value) {
    if (value == null) {
      return nullable;
    }
    return switch (type) {
      case LONG -> value instanceof Long;
      case DOUBLE -> value instanceof Double;
      case STRING -> value instanceof String;
    };
  }

  /** {@code name type} or {@code name type not null}, e.g. {@code amount double}. */
  @Override
  public String toString() {
    return name + " " + type.yamlName() + (nullable ? "" : " not null");
  }
}
