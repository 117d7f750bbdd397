package dev.lockstep.bench.trainingset;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Checks training-set outputs against each other with DuckDB: row counts, and on a sample of rows
 * (every row whose id is a multiple of a stride) the largest relative difference per feature.
 */
final class ResultComparison implements AutoCloseable {
  /** Differences of one system's sample from the baseline's. */
  record Differences(long sampledRows, long unmatchedRows, Map<String, Double> maxRelative,
      Map<String, Long> differingRows, Map<String, Long> nullMismatches) {}

  private final DuckDBConnection connection;

  ResultComparison(Path work) throws SQLException {
    connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      DuckDbSettings.apply(statement, work.resolve("compare-tmp"), "1GB");
    }
  }

  /** The rows of a Parquet file, or of every Parquet file under a directory. */
  long rows(Path output) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT count(*) FROM " + files(output))) {
      result.next();
      return result.getLong(1);
    }
  }

  /**
   * Compares {@code features} of {@code other} with {@code baseline} on the rows whose id is a
   * multiple of {@code stride}: the largest {@code |a − b| / max(|a|, |b|)} (0 when equal), the
   * number of rows whose values differ at all, and of those null on one side only.
   */
  Differences compare(Path baseline, Path other, List<String> features, long stride) throws SQLException {
    StringBuilder sql = new StringBuilder("WITH a AS (SELECT * FROM " + files(baseline) + " WHERE row_id % " + stride
        + " = 0), b AS (SELECT * FROM " + files(other) + " WHERE row_id % " + stride + " = 0)\nSELECT count(*),"
        + " count(*) FILTER (WHERE a.row_id IS NULL OR b.row_id IS NULL)");
    for (String feature : features) {
      String x = "CAST(a.\"" + feature + "\" AS DOUBLE)";
      String y = "CAST(b.\"" + feature + "\" AS DOUBLE)";
      sql.append(",\n  coalesce(max(CASE WHEN ").append(x).append(" = ").append(y).append(" THEN 0.0 ELSE abs(")
          .append(x).append(" - ").append(y).append(") / greatest(abs(").append(x).append("), abs(").append(y)
          .append(")) END), 0.0)");
      sql.append(", count(*) FILTER (WHERE ").append(x).append(" IS DISTINCT FROM ").append(y).append(")");
      sql.append(", count(*) FILTER (WHERE (").append(x).append(" IS NULL) <> (").append(y).append(" IS NULL))");
    }
    sql.append("\nFROM a FULL JOIN b ON a.row_id = b.row_id");
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql.toString())) {
      result.next();
      Map<String, Double> relative = new LinkedHashMap<>();
      Map<String, Long> differing = new LinkedHashMap<>();
      Map<String, Long> nulls = new LinkedHashMap<>();
      for (int i = 0; i < features.size(); i++) {
        relative.put(features.get(i), result.getDouble(3 + 3 * i));
        differing.put(features.get(i), result.getLong(4 + 3 * i));
        nulls.put(features.get(i), result.getLong(5 + 3 * i));
      }
      return new Differences(result.getLong(1), result.getLong(2), relative, differing, nulls);
    }
  }

  /**
   * The output's rows with feature columns named as the peers name them: Lockstep names a feature
   * {@code view__feature} (here {@code card__txn_count_1h}), the peers {@code txn_count_1h}.
   */
  private String files(Path output) throws SQLException {
    String glob = java.nio.file.Files.isDirectory(output) ? "/**/*.parquet" : "";
    String relation = "read_parquet('" + DuckDbTrainingSet.literal(output) + glob + "')";
    List<String> columns = new java.util.ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (result.next()) {
        String name = result.getString(1);
        String alias = name.contains("__") ? name.substring(name.indexOf("__") + 2) : name;
        columns.add('"' + name + "\" AS \"" + alias + '"');
      }
    }
    return "(SELECT " + String.join(", ", columns) + " FROM " + relation + ")";
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
