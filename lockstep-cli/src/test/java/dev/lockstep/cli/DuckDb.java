package dev.lockstep.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads Parquet files with DuckDB, an independent reader. */
final class DuckDb implements AutoCloseable {
  private final Connection connection;

  DuckDb() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET autoinstall_known_extensions = false");
      statement.execute("SET autoload_known_extensions = false");
      statement.execute("SET TimeZone = 'UTC'");
    }
  }

  Connection connection() {
    return connection;
  }

  /** Every row of the query, each as a list of JDBC values. */
  List<List<Object>> rows(String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          Object value = result.getObject(i);
          if (value instanceof java.sql.Array array) {
            value = List.of((Object[]) array.getArray());
          }
          row.add(value);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static String parquet(Path file) {
    return "read_parquet('" + file.toAbsolutePath() + "')";
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
