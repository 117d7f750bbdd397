package dev.lockstep.spi.offline;

import java.util.BitSet;
import java.util.Objects;

/**
 * A columnar batch of rows of an offline table: times and sequences as primitive arrays, and one
 * primitive or string array per selected column with a bit set of its null positions. Arrays are
 * exactly {@link #size()} long. Not copied and not immutable: a batch is owned by whoever holds it.
 */
public final class RowBatch {
  private final Schema schema;
  private final long[] eventTimes;
  private final long[] ingestTimes;
  private final long[] sequences;
  private final Object[] columns;
  private final BitSet[] nulls;

  /**
   * @param schema the columns of this batch, in order
   * @param eventTimes event times, epoch milliseconds
   * @param ingestTimes ingest times, epoch milliseconds
   * @param sequences durable sequences
   * @param columns per column: {@code long[]}, {@code double[]} or {@code String[]} by its type
   * @param nulls per column: the positions whose value is null (the array slot then holds 0 or null)
   * @throws IllegalArgumentException if an array's length or type does not fit
   */
  public RowBatch(
      Schema schema,
      long[] eventTimes,
      long[] ingestTimes,
      long[] sequences,
      Object[] columns,
      BitSet[] nulls) {
    this.schema = Objects.requireNonNull(schema, "schema");
    int size = eventTimes.length;
    if (ingestTimes.length != size
        || sequences.length != size
        || columns.length != schema.size()
        || nulls.length != schema.size()) {
      throw new IllegalArgumentException("Cannot build row batch: arrays of different lengths");
    }
    for (int i = 0; i < columns.length; i++) {
      Object column = columns[i];
      boolean fits =
          switch (schema.columns().get(i).type()) {
            case LONG -> column instanceof long[] values && values.length == size;
            case DOUBLE -> column instanceof double[] values && values.length == size;
            case STRING -> column instanceof String[] values && values.length == size;
          };
      if (!fits) {
        throw new IllegalArgumentException(
            "Cannot build row batch: column '"
                + schema.columns().get(i).name()
                + "' is not a "
                + size
                + "-element array of its type");
      }
    }
    this.eventTimes = eventTimes;
    this.ingestTimes = ingestTimes;
    this.sequences = sequences;
    this.columns = columns;
    this.nulls = nulls;
  }

  /** The columns of this batch. */
  public Schema schema() {
    return schema;
  }

  /** The number of rows. */
  public int size() {
    return eventTimes.length;
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

  /** The values of a {@code long} column. */
  public long[] longs(int column) {
    return (long[]) columns[column];
  }

  /** The values of a {@code double} column. */
  public double[] doubles(int column) {
    return (double[]) columns[column];
  }

  /** The values of a {@code string} column; null where the value is null. */
  public String[] strings(int column) {
    return (String[]) columns[column];
  }

  /** Whether the value of {@code column} at {@code row} is null. */
  public boolean isNull(int column, int row) {
    return nulls[column].get(row);
  }

  /** The positions where {@code column} is null. */
  public BitSet nulls(int column) {
    return nulls[column];
  }

  /** The value at ({@code column}, {@code row}) boxed, or null; for tests and slow paths. */
  public Object value(int column, int row) {
    if (nulls[column].get(row)) {
      return null;
    }
    return switch (schema.columns().get(column).type()) {
      case LONG -> longs(column)[row];
      case DOUBLE -> doubles(column)[row];
      case STRING -> strings(column)[row];
    };
  }
}
