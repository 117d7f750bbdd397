package dev.lockstep.bench.trainingset;

import dev.lockstep.api.Window;
import dev.lockstep.bench.PaymentsFixture;
import dev.lockstep.engine.sweep.FeatureSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB peer of the training-set benchmark: the 20 features of
 * {@link PaymentsFixture#twentyFeatures()} at every spine row, EVENT_TIME mode, as one SQL query
 * over the Parquet files, written to {@code OUT/result.parquet} ordered by row id.
 *
 * <p>Usage: {@code --events-parquet F --spine-parquet F --out DIR --work DIR}; prints a
 * {@link JobReport} line. 2 threads, {@code memory_limit} 3 GB (so the process, JVM included, stays
 * near 4 GB), spilling to {@code WORK/duckdb-tmp}.
 *
 * <p>Formulation: the events and the spine rows of a card go into one stream sorted by time, and
 * each feature is a window aggregate over a RANGE frame whose start varies per row:
 * {@code RANGE BETWEEN t − floor_H(t − W) PRECEDING AND 1 PRECEDING} is exactly
 * {@code floor_H(t − W) ≤ event_time < t}, the window of docs/architecture.md "Semantics" (spine rows carry no value and are
 * not counted; event rows get an empty frame). One sort serves all windows; DuckDB answers each
 * frame from a segment tree. Checked against the exact reference: counts and maxima agree on every
 * sampled row, so the frames hold exactly the events of §3. This is
 * the same set of events as the literal range join of {@code PointInTimeSql}, which on skewed cards
 * touches every (spine row, event) pair of a 30-day window and is much slower. Values are DuckDB's
 * own: its double sums, averages and variances are not exact and depend on how its segment tree
 * splits the frame, so they can differ from Lockstep's correctly rounded ones in the last bits.
 */
public final class DuckDbTrainingSet {
  private DuckDbTrainingSet() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    Args options = Args.parse("DuckDbTrainingSet", args, Set.of("events-parquet", "spine-parquet", "out", "work"));
    Path out = options.path("out");
    Path work = options.path("work");
    Files.createDirectories(out);
    Files.createDirectories(work);
    Path result = out.resolve("result.parquet");
    Files.deleteIfExists(result);
    try (DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      DuckDbSettings.apply(statement, work.resolve("duckdb-tmp"), "3GB");
      String query = sql(options.path("events-parquet"), options.path("spine-parquet"), PaymentsFixture.twentyFeatures());
      statement.execute("COPY (" + query + ") TO '" + literal(result) + "' (FORMAT parquet, COMPRESSION zstd)");
      long rows;
      try (ResultSet count = statement.executeQuery("SELECT count(*) FROM read_parquet('" + literal(result) + "')")) {
        count.next();
        rows = count.getLong(1);
      }
      JobReport.print("duckdb", start, rows);
    }
  }

  /** The training-set query: spine columns, then one column per feature, ordered by row id. */
  static String sql(Path events, Path spine, List<FeatureSpec> features) {
    Map<Window, String> frames = new LinkedHashMap<>();
    List<String> columns = new ArrayList<>();
    for (FeatureSpec feature : features) {
      String frame = frames.computeIfAbsent(feature.window(), window -> "w" + frames.size());
      columns.add(aggregate(feature, " OVER " + frame) + " AS \"" + feature.name() + "\"");
    }
    List<String> windows = new ArrayList<>();
    frames.forEach((window, name) -> windows.add(name + " AS (PARTITION BY card_id ORDER BY time " + frame(window) + ")"));
    return "WITH stream AS ("
        + " SELECT card_id, event_time AS time, amount, 1 AS event, NULL::BIGINT AS row_id, NULL::BIGINT AS ts,"
        + " NULL::INTEGER AS label FROM read_parquet('" + literal(events) + "')"
        + " UNION ALL"
        + " SELECT card_id, ts, NULL::DOUBLE, NULL::INTEGER, row_id, ts, label FROM read_parquet('" + literal(spine) + "')),\n"
        + "features AS (SELECT row_id, card_id, ts, label,\n  " + String.join(",\n  ", columns)
        + "\nFROM stream\nWINDOW " + String.join(",\n  ", windows) + ")\n"
        + "SELECT * FROM features WHERE row_id IS NOT NULL ORDER BY row_id";
  }

  /**
   * Events with {@code floor_H(t − W) ≤ time < t}, or every event before t for a lifetime window.
   * Event rows get the empty frame {@code [time, time − 1]}: their values are dropped anyway, and
   * an empty frame costs DuckDB almost nothing, which halves the run time.
   */
  private static String frame(Window window) {
    if (window.isLifetime()) {
      // 2^62 ms reaches back before any event of this data
      return "RANGE BETWEEN CASE WHEN row_id IS NULL THEN 0 ELSE 4611686018427387904 END PRECEDING AND 1 PRECEDING";
    }
    long size = window.sizeMillis();
    long hop = window.hopMillis();
    // t − floor_H(t − W) = W + ((t − W) mod H), with a non-negative modulus
    return "RANGE BETWEEN CASE WHEN row_id IS NULL THEN 0 ELSE " + size + " + (((time - " + size + ") % " + hop
        + ") + " + hop + ") % " + hop + " END PRECEDING AND 1 PRECEDING";
  }

  /** The window aggregate; {@code over} is its OVER clause. An empty window sums to 0 (§3). */
  private static String aggregate(FeatureSpec feature, String over) {
    String column = feature.aggregation().column();
    return switch (feature.aggregation().function()) {
      case COUNT -> "count(event)" + over;
      case COUNT_NON_NULL -> "count(" + column + ")" + over;
      case SUM -> "coalesce(sum(" + column + ")" + over + ", 0)";
      case MEAN -> "avg(" + column + ")" + over;
      case MIN -> "min(" + column + ")" + over;
      case MAX -> "max(" + column + ")" + over;
      case VAR_SAMP -> "var_samp(" + column + ")" + over;
      case VAR_POP -> "var_pop(" + column + ")" + over;
      case STDDEV_SAMP -> "stddev_samp(" + column + ")" + over;
      case STDDEV_POP -> "stddev_pop(" + column + ")" + over;
      default -> throw new IllegalArgumentException("Cannot run feature " + feature.name() + " on DuckDB: "
          + feature.aggregation() + " has no window aggregate in this benchmark (add it to DuckDbTrainingSet)");
    };
  }

  static String literal(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
  }
}
