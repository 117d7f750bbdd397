package dev.lockstep.testkit.sql;

import java.util.Objects;

/**
 * A spine as {@link PointInTimeSql} reads it: the rows at which features are evaluated.
 *
 * @param relation an SQL FROM item, inserted verbatim: a table name or, for example,
 *     {@code read_parquet('spine.parquet')}
 * @param rowIdColumn a unique, non-null row id; the result has one row per id, ordered by it
 * @param keyColumn the entity key column
 * @param timeColumn the evaluation time {@code t}, BIGINT epoch milliseconds (UTC), exclusive
 */
public record SpineTable(String relation, String rowIdColumn, String keyColumn, String timeColumn) {
  public SpineTable {
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(rowIdColumn, "rowIdColumn");
    Objects.requireNonNull(keyColumn, "keyColumn");
    Objects.requireNonNull(timeColumn, "timeColumn");
  }
}
