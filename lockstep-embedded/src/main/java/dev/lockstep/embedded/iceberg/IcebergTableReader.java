package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Reads an existing Iceberg table that Lockstep did not write, for use as a source: opened by its
 * location on disk (the directory holding {@code metadata/}), read at the snapshot current when it
 * was opened. Values come back as {@code Long} (long, int), {@code Double} (double, float), {@code
 * String} (string) and {@code Long} epoch milliseconds (timestamp, timestamptz); other types cannot
 * be read. A timestamp without zone is returned as if it were UTC, and {@link
 * SourceColumn#withZone} says so, so that the caller applies the zone its source declares.
 * Thread-safe; the iterators it returns are not.
 */
public final class IcebergTableReader {
  private final String location;
  private final Table table;
  private final Snapshot snapshot;

  private IcebergTableReader(String location, Table table) {
    this.location = location;
    this.table = table;
    this.snapshot = table.currentSnapshot();
  }

  /**
   * Opens the table at {@code location}.
   *
   * @throws NotFoundException if there is no Iceberg table there
   * @throws BackendException if its metadata cannot be read
   */
  public static IcebergTableReader open(Path location) {
    String path = location.toAbsolutePath().normalize().toString();
    try {
      return new IcebergTableReader(
          path, new HadoopTables(WarehouseCatalog.hadoopConf()).load(path));
    } catch (NoSuchTableException e) {
      throw new NotFoundException(
          "Cannot open the Iceberg table at "
              + path
              + ": no table there (give the table's root directory, the one holding metadata/)");
    } catch (UncheckedIOException e) {
      throw new BackendException(
          "Cannot open the Iceberg table at " + path + ": " + e.getMessage() + " (check the files)",
          e);
    }
  }

  /** A column of the table: its name, its Iceberg type and whether it may hold nulls. */
  public record SourceColumn(String name, Type type, boolean nullable) {
    /** Whether {@link IcebergTableReader#rows} can return this column. */
    public boolean readable() {
      return switch (type.typeId()) {
        case LONG, INTEGER, DOUBLE, FLOAT, STRING, TIMESTAMP -> true;
        default -> false;
      };
    }

    /** Whether this is a timestamp column (with or without zone). */
    public boolean isTimestamp() {
      return type.typeId() == Type.TypeID.TIMESTAMP;
    }

    /** Whether this is a timestamp with zone (timestamptz); false for every other type. */
    public boolean withZone() {
      return isTimestamp() && ((Types.TimestampType) type).shouldAdjustToUTC();
    }
  }

  /** The table's location, absolute. */
  public String location() {
    return location;
  }

  /** The snapshot this reader reads, or empty if the table has none. */
  public OptionalLong snapshotId() {
    return snapshot == null ? OptionalLong.empty() : OptionalLong.of(snapshot.snapshotId());
  }

  /** The table's top-level columns, in order. */
  public List<SourceColumn> columns() {
    return table.schema().columns().stream()
        .map(field -> new SourceColumn(field.name(), field.type(), field.isOptional()))
        .toList();
  }

  /**
   * The rows of the table, each an array of the values of {@code columns} in that order; every
   * column in table order if {@code columns} is empty.
   *
   * @throws NotFoundException if a column does not exist
   * @throws IllegalArgumentException if a column's type cannot be read
   */
  public CloseableIterator<Object[]> rows(List<String> columns) {
    List<SourceColumn> selected =
        columns.isEmpty() ? columns() : columns.stream().map(this::column).toList();
    for (SourceColumn column : selected) {
      if (!column.readable()) {
        throw new IllegalArgumentException(
            "Cannot read column '"
                + column.name()
                + "' of the Iceberg table at "
                + location
                + ": its type "
                + column.type()
                + " is not supported (read long, int, double, float, string and timestamp"
                + " columns only)");
      }
    }
    if (snapshot == null) {
      return CloseableIterator.of(Collections.emptyIterator());
    }
    List<String> names = selected.stream().map(SourceColumn::name).toList();
    CloseableIterable<Record> records =
        IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).select(names).build();
    Iterator<Record> iterator = records.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return iterator.hasNext();
      }

      @Override
      public Object[] next() {
        Record record = iterator.next();
        Object[] row = new Object[names.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = value(record.getField(names.get(i)));
        }
        return row;
      }

      @Override
      public void close() {
        try {
          records.close();
        } catch (IOException e) {
          throw new BackendException(
              "Cannot close the scan of the Iceberg table at " + location + ": " + e, e);
        }
      }
    };
  }

  private SourceColumn column(String name) {
    return columns().stream()
        .filter(column -> column.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new NotFoundException(
                    "Cannot read column '"
                        + name
                        + "' of the Iceberg table at "
                        + location
                        + ": no such column (columns: "
                        + String.join(", ", columns().stream().map(SourceColumn::name).toList())
                        + ")"));
  }

  private static Object value(Object value) {
    if (value instanceof Integer integer) {
      return integer.longValue();
    }
    if (value instanceof Float number) {
      return number.doubleValue();
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toEpochMilli();
    }
    if (value instanceof LocalDateTime time) {
      return time.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    return value;
  }
}
