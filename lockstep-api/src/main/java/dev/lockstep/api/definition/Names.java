package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of definition names: lower-case identifiers, as SQL engines and Parquet readers like. */
final class Names {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,127}");
  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]{0,127}");

  private Names() {}

  static String identifier(String kind, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new InvalidDefinitionException(
          "Cannot define "
              + kind
              + " '"
              + name
              + "': names are lower-case letters, digits and '_', starting with a letter");
    }
    if (name.contains("__")) {
      throw new InvalidDefinitionException(
          "Cannot define "
              + kind
              + " '"
              + name
              + "': '__' is reserved (it separates view and feature in column names)");
    }
    return name;
  }

  static String column(String kind, String name) {
    if (name == null || !COLUMN.matcher(name).matches()) {
      throw new InvalidDefinitionException(
          "Cannot define " + kind + ": '" + name + "' is not a valid column name");
    }
    return name;
  }

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : List.copyOf(values);
  }
}
