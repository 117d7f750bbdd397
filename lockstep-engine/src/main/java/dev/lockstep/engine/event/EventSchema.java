package dev.lockstep.engine.event;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The value columns of an event block, by name, in order. Event time, ingest time and sequence are implicit. */
public final class EventSchema {
  private final List<String> names;
  private final List<ValueType> types;
  private final Map<String, Integer> positions = new LinkedHashMap<>();

  private EventSchema(List<String> names, List<ValueType> types) {
    this.names = List.copyOf(names);
    this.types = List.copyOf(types);
    for (int i = 0; i < names.size(); i++) {
      if (positions.put(names.get(i), i) != null) {
        throw new InvalidDefinitionException(
            "Cannot define schema: column '" + names.get(i) + "' appears twice (rename one)");
      }
    }
  }

  /** A schema from alternating names and types: {@code of("amount", DOUBLE, "merchant", STRING)}. */
  public static EventSchema of(Object... namesAndTypes) {
    if (namesAndTypes.length % 2 != 0) {
      throw new IllegalArgumentException("names and types must alternate");
    }
    List<String> names = new ArrayList<>();
    List<ValueType> types = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      names.add((String) Objects.requireNonNull(namesAndTypes[i], "name"));
      types.add((ValueType) Objects.requireNonNull(namesAndTypes[i + 1], "type"));
    }
    return new EventSchema(names, types);
  }

  public int size() {
    return names.size();
  }

  public String name(int column) {
    return names.get(column);
  }

  public ValueType type(int column) {
    return types.get(column);
  }

  public List<String> names() {
    return names;
  }

  /**
   * The position of column {@code name}.
   *
   * @throws InvalidDefinitionException if there is no such column
   */
  public int position(String name) {
    Integer position = positions.get(name);
    if (position == null) {
      throw new InvalidDefinitionException(
          "Cannot find column '" + name + "': no such column (columns: " + String.join(", ", names) + ")");
    }
    return position;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventSchema schema && schema.names.equals(names) && schema.types.equals(types);
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + types.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < names.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(types.get(i).yamlName());
    }
    return text.append(')').toString();
  }
}
