package dev.lockstep.testkit.sql;

import dev.lockstep.api.ValueType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An events table as {@link PointInTimeSql} reads it: one row per event, times as BIGINT epoch
 * milliseconds (UTC).
 *
 * @param relation an SQL FROM item, inserted verbatim: a table name, or for example
 *     {@code read_parquet('events.parquet')}
 * @param keyColumn the entity key column, compared with the spine's key by equality
 * @param eventTimeColumn event time, BIGINT epoch milliseconds, never null
 * @param ingestTimeColumn ingest time, BIGINT epoch milliseconds, never null
 * @param sequenceColumn the ingest sequence number, BIGINT, unique per entity, never null
 * @param valueColumns the value columns features may read, with their types, in order
 */
public record EventsTable(
    String relation,
    String keyColumn,
    String eventTimeColumn,
    String ingestTimeColumn,
    String sequenceColumn,
    Map<String, ValueType> valueColumns) {

  public EventsTable {
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(keyColumn, "keyColumn");
    Objects.requireNonNull(eventTimeColumn, "eventTimeColumn");
    Objects.requireNonNull(ingestTimeColumn, "ingestTimeColumn");
    Objects.requireNonNull(sequenceColumn, "sequenceColumn");
    valueColumns = Collections.unmodifiableMap(new LinkedHashMap<>(valueColumns));
  }

  /** The type of a value column. */
  ValueType typeOf(String column) {
    ValueType type = valueColumns.get(column);
    if (type == null) {
      throw new IllegalArgumentException(
          "Cannot read column '" + column + "': the events table declares only " + valueColumns.keySet()
              + " (add it to the table's value columns)");
    }
    return type;
  }
}
