package dev.lockstep.engine.event;

import dev.lockstep.api.ValueType;
import java.util.Arrays;

/**
 * A growable columnar block of events: event time, ingest time and sequence (epoch millis and a
 * durable sequence number) plus one typed column per schema column, each with a null flag.
 *
 * <p>Mutable, reused across entities with {@link #clear()}; not thread-safe. Arrays returned by
 * the accessors are the live backing arrays, valid for rows {@code [0, size())}.
 */
public final class EventBlock {
  private final EventSchema schema;
  private int size;
  private long[] eventTimes;
  private long[] ingestTimes;
  private long[] sequences;
  private final long[][] longs;
  private final double[][] doubles;
  private final String[][] strings;
  private final boolean[][] nulls;

  public EventBlock(EventSchema schema) {
    this(schema, 16);
  }

  public EventBlock(EventSchema schema, int capacity) {
    this.schema = schema;
    int columns = schema.size();
    capacity = Math.max(capacity, 1);
    eventTimes = new long[capacity];
    ingestTimes = new long[capacity];
    sequences = new long[capacity];
    longs = new long[columns][];
    doubles = new double[columns][];
    strings = new String[columns][];
    nulls = new boolean[columns][];
    for (int column = 0; column < columns; column++) {
      switch (schema.type(column)) {
        case LONG -> longs[column] = new long[capacity];
        case DOUBLE -> doubles[column] = new double[capacity];
        case STRING -> strings[column] = new String[capacity];
      }
      nulls[column] = new boolean[capacity];
    }
  }

  public EventSchema schema() {
    return schema;
  }

  public int size() {
    return size;
  }

  public void clear() {
    for (String[] column : strings) {
      if (column != null) {
        Arrays.fill(column, 0, size, null);
      }
    }
    size = 0;
  }

  /** Appends an event whose values are all null and returns its row. */
  public int append(long eventTime, long ingestTime, long sequence) {
    if (size == eventTimes.length) {
      grow();
    }
    int row = size++;
    eventTimes[row] = eventTime;
    ingestTimes[row] = ingestTime;
    sequences[row] = sequence;
    for (boolean[] columnNulls : nulls) {
      columnNulls[row] = true;
    }
    return row;
  }

  public void setLong(int column, int row, long value) {
    longs[column][row] = value;
    nulls[column][row] = false;
  }

  public void setDouble(int column, int row, double value) {
    doubles[column][row] = value;
    nulls[column][row] = false;
  }

  public void setString(int column, int row, String value) {
    strings[column][row] = value;
    nulls[column][row] = value == null;
  }

  /** Sets a value of the column's type (Long, Double, String) or null. */
  public void set(int column, int row, Object value) {
    if (value == null) {
      nulls[column][row] = true;
      if (strings[column] != null) {
        strings[column][row] = null;
      }
      return;
    }
    ValueType type = schema.type(column);
    if (type == ValueType.LONG && value instanceof Long number) {
      setLong(column, row, number);
    } else if (type == ValueType.DOUBLE && value instanceof Double number) {
      setDouble(column, row, number);
    } else if (type == ValueType.STRING && value instanceof String text) {
      setString(column, row, text);
    } else {
      throw new IllegalArgumentException("Cannot set column '" + schema.name(column) + "' (" + type.yamlName()
          + ") to " + value + " of type " + value.getClass().getSimpleName()
          + " (convert the value to a " + type.yamlName() + " first)");
    }
  }

  /** The value at ({@code column}, {@code row}) boxed, or null. */
  public Object value(int column, int row) {
    if (nulls[column][row]) {
      return null;
    }
    return switch (schema.type(column)) {
      case LONG -> longs[column][row];
      case DOUBLE -> doubles[column][row];
      case STRING -> strings[column][row];
    };
  }

  public long[] eventTimes() {
    return eventTimes;
  }

  public long[] ingestTimes() {
    return ingestTimes;
  }

  public long[] sequences() {
    return sequences;
  }

  public long[] longs(int column) {
    return longs[column];
  }

  public double[] doubles(int column) {
    return doubles[column];
  }

  public String[] strings(int column) {
    return strings[column];
  }

  public boolean[] nulls(int column) {
    return nulls[column];
  }

  public ValueType type(int column) {
    return schema.type(column);
  }

  /** Whether rows are in {@code (eventTime, ingestTime, sequence)} order. */
  public boolean isSorted() {
    for (int row = 1; row < size; row++) {
      if (compareRows(row - 1, row) > 0) {
        return false;
      }
    }
    return true;
  }

  /** Reorders rows by {@code (eventTime, ingestTime, sequence)}; stable. */
  public void sort() {
    if (isSorted()) {
      return;
    }
    int[] order = IndexSort.identity(size);
    IndexSort.sort(order, this::compareRows);
    eventTimes = IndexSort.permute(eventTimes, order);
    ingestTimes = IndexSort.permute(ingestTimes, order);
    sequences = IndexSort.permute(sequences, order);
    for (int column = 0; column < schema.size(); column++) {
      if (longs[column] != null) {
        longs[column] = IndexSort.permute(longs[column], order);
      }
      if (doubles[column] != null) {
        doubles[column] = IndexSort.permute(doubles[column], order);
      }
      if (strings[column] != null) {
        strings[column] = IndexSort.permute(strings[column], order);
      }
      nulls[column] = IndexSort.permute(nulls[column], order);
    }
  }

  private int compareRows(int left, int right) {
    if (eventTimes[left] != eventTimes[right]) {
      return Long.compare(eventTimes[left], eventTimes[right]);
    }
    if (ingestTimes[left] != ingestTimes[right]) {
      return Long.compare(ingestTimes[left], ingestTimes[right]);
    }
    return Long.compare(sequences[left], sequences[right]);
  }

  /**
   * Appends rows {@code rows[from..to)} of {@code source}, in that order, column by column: the
   * bulk form of {@link #append} for building one entity's block out of a larger one.
   *
   * @throws IllegalArgumentException if {@code source} has another schema
   */
  public void appendRows(EventBlock source, int[] rows, int from, int to) {
    if (!source.schema.equals(schema)) {
      throw new IllegalArgumentException(
          "Cannot copy rows of " + source.schema + " into a block of " + schema);
    }
    int count = to - from;
    ensureCapacity(size + count);
    for (int i = 0; i < count; i++) {
      int row = rows[from + i];
      eventTimes[size + i] = source.eventTimes[row];
      ingestTimes[size + i] = source.ingestTimes[row];
      sequences[size + i] = source.sequences[row];
    }
    for (int column = 0; column < schema.size(); column++) {
      boolean[] targetNulls = nulls[column];
      boolean[] sourceNulls = source.nulls[column];
      for (int i = 0; i < count; i++) {
        targetNulls[size + i] = sourceNulls[rows[from + i]];
      }
      switch (schema.type(column)) {
        case LONG -> {
          long[] target = longs[column];
          long[] values = source.longs[column];
          for (int i = 0; i < count; i++) {
            target[size + i] = values[rows[from + i]];
          }
        }
        case DOUBLE -> {
          double[] target = doubles[column];
          double[] values = source.doubles[column];
          for (int i = 0; i < count; i++) {
            target[size + i] = values[rows[from + i]];
          }
        }
        case STRING -> {
          String[] target = strings[column];
          String[] values = source.strings[column];
          for (int i = 0; i < count; i++) {
            target[size + i] = values[rows[from + i]];
          }
        }
      }
    }
    size += count;
  }

  private void ensureCapacity(int needed) {
    while (eventTimes.length < needed) {
      grow();
    }
  }

  private void grow() {
    int capacity = eventTimes.length * 2;
    eventTimes = Arrays.copyOf(eventTimes, capacity);
    ingestTimes = Arrays.copyOf(ingestTimes, capacity);
    sequences = Arrays.copyOf(sequences, capacity);
    for (int column = 0; column < schema.size(); column++) {
      if (longs[column] != null) {
        longs[column] = Arrays.copyOf(longs[column], capacity);
      }
      if (doubles[column] != null) {
        doubles[column] = Arrays.copyOf(doubles[column], capacity);
      }
      if (strings[column] != null) {
        strings[column] = Arrays.copyOf(strings[column], capacity);
      }
      nulls[column] = Arrays.copyOf(nulls[column], capacity);
    }
  }
}
