package dev.lockstep.io;

import dev.lockstep.api.ValueType;
import java.util.Objects;

/**
 * A column of a training-set file. Every column is nullable.
 *
 * @param name the column's name; unique in the file
 * @param type the type of its values, or of its list's elements
 * @param list whether each value is a list (a standard 3-level Parquet {@code LIST} with nullable
 *     elements), given as a {@code java.util.List}
 */
public record OutputColumn(String name, ColumnType type, boolean list) {
  public OutputColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Cannot define output column: its name is empty");
    }
  }

  /** A spine column written through with the type it was read with. */
  public static OutputColumn passThrough(SpineColumn column) {
    return new OutputColumn(column.name(), column.type(), false);
  }

  /** A feature column of {@code type} values, or of lists of them. */
  public static OutputColumn feature(String name, ValueType type, boolean list) {
    return new OutputColumn(name, ColumnType.of(type), list);
  }
}
