package dev.lockstep.embedded.iceberg;

import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import dev.lockstep.api.ValueType;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.offline.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * How a Lockstep offline table is laid out as an ordinary Iceberg v2 table, so that Spark, Trino or
 * DuckDB read it without knowing Lockstep:
 *
 * <ul>
 *   <li>columns {@code event_time} and {@code ingest_time} (timestamptz, microseconds, required),
 *       {@code sequence} (long, required), then the payload columns in schema order: long, double
 *       or string, required unless the column is nullable;
 *   <li>partitioned by {@code day(event_time)};
 *   <li>Parquet data files compressed with zstd;
 *   <li>table properties {@value #FORMAT_PROPERTY} and {@value #FORMAT_VERSION_PROPERTY} naming
 *       this layout and its version.
 * </ul>
 *
 * <p>The Lockstep schema is read back from the Iceberg schema, so it cannot drift from the files.
 */
final class TableLayout {
  static final String EVENT_TIME = "event_time";
  static final String INGEST_TIME = "ingest_time";
  static final String SEQUENCE = "sequence";
  static final List<String> RESERVED = List.of(EVENT_TIME, INGEST_TIME, SEQUENCE);

  static final String FORMAT_PROPERTY = "lockstep.format";
  static final String FORMAT = "lockstep-offline-table";
  static final String FORMAT_VERSION_PROPERTY = "lockstep.format-version";
  static final String FORMAT_VERSION = "1";

  /** Table names: what every SQL engine accepts unquoted and every file system stores as is. */
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z0-9_]+");

  private TableLayout() {}

  /**
   * Checks that {@code table} is a valid table name.
   *
   * @param operation what the caller was asked to do, e.g. {@code "create table"}
   * @throws IllegalArgumentException if it is not lower-case letters, digits and underscores
   */
  static void checkTableName(String operation, String table) {
    if (table == null || !TABLE_NAME.matcher(table).matches()) {
      String hint =
          table == null || table.isEmpty()
              ? "name the table"
              : "rename it, e.g. '" + suggestedName(table) + "'";
      throw new IllegalArgumentException(
          "Cannot "
              + operation
              + " '"
              + table
              + "': a table name is lower-case letters, digits and underscores ("
              + hint
              + ")");
    }
  }

  private static String suggestedName(String table) {
    String lower = table.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return lower.isEmpty() ? "events" : lower;
  }

  /**
   * The Iceberg schema of a table whose payload is {@code schema}.
   *
   * @throws IllegalArgumentException if a payload column uses a reserved name
   */
  static Schema icebergSchema(String table, dev.lockstep.spi.offline.Schema schema) {
    List<Types.NestedField> fields = new ArrayList<>();
    fields.add(Types.NestedField.required(1, EVENT_TIME, Types.TimestampType.withZone()));
    fields.add(Types.NestedField.required(2, INGEST_TIME, Types.TimestampType.withZone()));
    fields.add(Types.NestedField.required(3, SEQUENCE, Types.LongType.get()));
    int id = 4;
    for (Column column : schema.columns()) {
      // Spark and Trino resolve names case-insensitively, so "Event_Time" would clash there.
      if (RESERVED.contains(column.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "Cannot create table "
                + table
                + ": column '"
                + column.name()
                + "' is reserved (rename it)");
      }
      fields.add(Types.NestedField.of(id++, column.nullable(), column.name(), type(column)));
    }
    return new Schema(fields);
  }

  /**
   * Adds the columns of {@code to} that {@code from} lacks (nullable, checked by the caller) to
   * {@code table} and orders the payload columns as {@code to} does, in one schema commit. Iceberg
   * gives each new column a fresh field id, so older data files read null in it.
   */
  static void evolve(Table table, dev.lockstep.spi.offline.Schema from, dev.lockstep.spi.offline.Schema to) {
    UpdateSchema update = table.updateSchema();
    for (Column column : to.columns()) {
      if (from.findColumn(column.name()).isEmpty()) {
        if (RESERVED.contains(column.name().toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("Cannot add column '" + column.name() + "' to table "
              + table.name() + ": the name is reserved (rename it)");
        }
        update.addColumn(column.name(), type(column));
      }
    }
    String previous = SEQUENCE;
    for (Column column : to.columns()) {
      update.moveAfter(column.name(), previous);
      previous = column.name();
    }
    update.commit();
  }

  private static Type type(Column column) {
    return switch (column.type()) {
      case LONG -> Types.LongType.get();
      case DOUBLE -> Types.DoubleType.get();
      case STRING -> Types.StringType.get();
    };
  }

  /** The partition spec of every Lockstep table: one partition per UTC day of event time. */
  static PartitionSpec partitionSpec(Schema schema) {
    return PartitionSpec.builderFor(schema).day(EVENT_TIME).build();
  }

  /**
   * The Parquet row-group size: a batch scan holds one row group's column chunks in memory per
   * thread and splits files only between row groups, so 32 MB rather than Iceberg's 128 MB.
   */
  static final int ROW_GROUP_BYTES = 32 << 20;

  /** The table properties set at creation. */
  static Map<String, String> tableProperties() {
    return Map.ofEntries(
        Map.entry(TableProperties.FORMAT_VERSION, "2"),
        Map.entry(TableProperties.DEFAULT_FILE_FORMAT, "parquet"),
        Map.entry(TableProperties.PARQUET_COMPRESSION, "zstd"),
        Map.entry(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Integer.toString(ROW_GROUP_BYTES)),
        // Each commit writes a new metadata file holding the whole history; keep the last 100.
        Map.entry(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true"),
        Map.entry(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100"),
        Map.entry(FORMAT_PROPERTY, FORMAT),
        Map.entry(FORMAT_VERSION_PROPERTY, FORMAT_VERSION));
  }

  /**
   * The Lockstep payload schema of an Iceberg table laid out by this class.
   *
   * @throws BackendException if the table has a payload column of a type Lockstep cannot hold
   */
  static dev.lockstep.spi.offline.Schema lockstepSchema(String table, Schema schema) {
    List<Column> columns = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      if (RESERVED.contains(field.name())) {
        continue;
      }
      ValueType type =
          switch (field.type().typeId()) {
            case LONG -> ValueType.LONG;
            case DOUBLE -> ValueType.DOUBLE;
            case STRING -> ValueType.STRING;
            default ->
                throw new BackendException(
                    "Cannot read the schema of table '"
                        + table
                        + "': column '"
                        + field.name()
                        + "' is "
                        + field.type()
                        + " (a Lockstep table holds only long, double and string columns; was it"
                        + " altered outside Lockstep?)");
          };
      columns.add(new Column(field.name(), type, field.isOptional()));
    }
    return dev.lockstep.spi.offline.Schema.of(columns);
  }

  /**
   * Epoch milliseconds as Iceberg timestamp microseconds, saturating at the long range: for scan
   * bounds, which may lie beyond any time a row can hold.
   */
  static long micros(long millis) {
    long micros = millis * 1000;
    return micros / 1000 == millis ? micros : (millis < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
  }

  /** The Iceberg day partition ordinal (days since the epoch, UTC) of epoch milliseconds. */
  static int day(long millis) {
    return (int) Math.floorDiv(millis, 86_400_000L);
  }
}
