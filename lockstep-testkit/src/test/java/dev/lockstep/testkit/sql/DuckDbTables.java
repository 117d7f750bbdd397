package dev.lockstep.testkit.sql;

import dev.lockstep.api.ValueType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** An in-memory DuckDB with an events table and a spine table, for running {@link PointInTimeSql}. */
final class DuckDbTables implements AutoCloseable {
  /** One event row: key, times, sequence, then one value per value column (Long, Double, String or null). */
  record EventRow(String key, long eventTime, long ingestTime, long sequence, Object... values) {}

  /** One spine row. */
  record SpineRow(long rowId, String key, long time) {}

  static final SpineTable SPINE = new SpineTable("spine", "row_id", "key", "t");

  private final DuckDBConnection connection;

  DuckDbTables() throws SQLException {
    connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    execute("SET autoinstall_known_extensions = false");
    execute("SET autoload_known_extensions = false");
    execute("SET threads = 2");
  }

  /** Creates and fills {@code events} with the columns of {@code table} (whose relation must be {@code events}). */
  void events(EventsTable table, List<EventRow> rows) throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE OR REPLACE TABLE events (key VARCHAR, event_time BIGINT,"
        + " ingest_time BIGINT, sequence BIGINT");
    table.valueColumns().forEach((name, type) ->
        ddl.append(", ").append(PointInTimeSql.quote(name)).append(' ').append(AggregateSql.sqlType(type)));
    execute(ddl.append(')').toString());
    List<ValueType> types = List.copyOf(table.valueColumns().values());
    try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
      for (EventRow row : rows) {
        appender.beginRow().append(row.key()).append(row.eventTime()).append(row.ingestTime()).append(row.sequence());
        for (int i = 0; i < types.size(); i++) {
          Object value = row.values()[i];
          if (value == null) {
            appender.appendNull();
          } else if (value instanceof Long l) {
            appender.append(l.longValue());
          } else if (value instanceof Double d) {
            appender.append(d.doubleValue());
          } else {
            appender.append((String) value);
          }
        }
        appender.endRow();
      }
    }
  }

  void spine(List<SpineRow> rows) throws SQLException {
    execute("CREATE OR REPLACE TABLE spine (row_id BIGINT, key VARCHAR, t BIGINT)");
    try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spine")) {
      for (SpineRow row : rows) {
        appender.beginRow().append(row.rowId()).append(row.key()).append(row.time()).endRow();
      }
    }
  }

  /** Every row of the query; SQL lists become Java lists. */
  List<Object[]> query(String sql) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
          Object value = result.getObject(i + 1);
          row[i] = value instanceof Array array ? Arrays.asList((Object[]) array.getArray()) : value;
        }
        rows.add(row);
      }
    }
    return rows;
  }

  void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
