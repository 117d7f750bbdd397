package dev.lockstep.spi.offline;

import dev.lockstep.spi.NotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ordered columns of an offline table's payload. Column names are unique and case-sensitive.
 * Immutable and thread-safe. Every row of the table also carries the event time, ingest time and
 * sequence outside the schema (see {@link Row}).
 */
public final class Schema {
  private final List<Column> columns;
  private final Map<String, Integer> positions;

  private Schema(List<Column> columns) {
    this.columns = List.copyOf(columns);
    this.positions = new HashMap<>();
    for (int i = 0; i < this.columns.size(); i++) {
      String name = this.columns.get(i).name();
      if (positions.put(name, i) != null) {
        throw new IllegalArgumentException(
            "Cannot build schema: column '" + name + "' appears more than once");
      }
    }
  }

  /**
   * The schema of these columns, in order.
   *
   * @throws IllegalArgumentException if two columns have the same name
   */
  public static Schema of(List<Column> columns) {
    return new Schema(columns);
  }

  /** As {@link #of(List)}. */
  public static Schema of(Column... columns) {
    return new Schema(List.of(columns));
  }

  /** The columns, in order. */
  public List<Column> columns() {
    return columns;
  }

  /** The number of columns. */
  public int size() {
    return columns.size();
  }

  /** The column named {@code name}, if there is one. */
  public Optional<Column> findColumn(String name) {
    Integer position = positions.get(name);
    return position == null ? Optional.empty() : Optional.of(columns.get(position));
  }

  /**
   * The column named {@code name}.
   *
   * @throws NotFoundException if there is none, naming the columns there are
   */
  public Column column(String name) {
    return columns.get(position(name));
  }

  /**
   * The position, from 0, of the column named {@code name}: the index of its value in a {@link
   * Row}.
   *
   * @throws NotFoundException if there is no such column, naming the columns there are
   */
  public int position(String name) {
    Integer position = positions.get(name);
    if (position == null) {
      String hint =
          positions.keySet().stream()
              .filter(name::equalsIgnoreCase)
              .findFirst()
              .map(match -> " (did you mean '" + match + "'? names are case-sensitive)")
              .orElse("");
      throw new NotFoundException(
          "Cannot find column '" + name + "': the schema has " + names() + hint);
    }
    return position;
  }

  /**
   * The schema of the named columns, in the given order.
   *
   * @throws NotFoundException if a name is not a column
   * @throws IllegalArgumentException if a name is given twice
   */
  public Schema select(List<String> names) {
    List<Column> selected = new ArrayList<>(names.size());
    for (String name : names) {
      selected.add(column(name));
    }
    return new Schema(selected);
  }

  /**
   * Checks that {@code row} fits this schema: times every store holds ({@link Row#storableTime}),
   * one value per column, each of the column's type and non-null where required. Messages name the
   * column but never show the value.
   *
   * @throws IllegalArgumentException if it does not
   */
  public void validate(Row row) {
    if (!Row.storableTime(row.eventTimeMillis()) || !Row.storableTime(row.ingestTimeMillis())) {
      throw new IllegalArgumentException("Cannot accept row: its time is beyond what offline stores hold (event time "
          + row.eventTimeMillis() + ", ingest time " + row.ingestTimeMillis()
          + " ms since the epoch; check the time column's unit)");
    }
    if (row.size() != columns.size()) {
      throw new IllegalArgumentException(
          "Cannot accept row: it has "
              + row.size()
              + " values for the "
              + columns.size()
              + " columns "
              + names());
    }
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      Object value = row.value(i);
      if (!column.accepts(value)) {
        String got = value == null ? "null" : "a " + value.getClass().getSimpleName();
        throw new IllegalArgumentException(
            "Cannot accept row: column '"
                + column.name()
                + "' is "
                + column.type().yamlName()
                + (column.nullable() ? "" : " not null")
                + " but its value is "
                + got);
      }
    }
  }

  private String names() {
    return columns.stream().map(Column::name).collect(Collectors.joining(", ", "(", ")"));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Schema schema && columns.equals(schema.columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  /** The columns, e.g. {@code Schema(user_id string not null, amount double)}. */
  @Override
  public String toString() {
    return columns.stream().map(Column::toString).collect(Collectors.joining(", ", "Schema(", ")"));
  }
}
