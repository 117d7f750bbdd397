package dev.lockstep.io;

import java.util.Objects;

/**
 * A column of a spine.
 *
 * @param name its name in the file
 * @param type its type, with which it is written through to the training set unchanged
 */
public record SpineColumn(String name, ColumnType type) {
  public SpineColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
