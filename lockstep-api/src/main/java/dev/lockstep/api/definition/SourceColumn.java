package dev.lockstep.api.definition;

import dev.lockstep.api.ValueType;
import java.util.Objects;

/**
 * A typed payload column of a source, or a typed request field of an on-demand view.
 *
 * @param name the column's name in the input
 * @param type its values' type
 */
public record SourceColumn(String name, ValueType type) {

  public SourceColumn {
    Names.column("column", name);
    Objects.requireNonNull(type, "type");
  }

  public static SourceColumn of(String name, ValueType type) {
    return new SourceColumn(name, type);
  }
}
