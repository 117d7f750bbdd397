package dev.lockstep.bench.trainingset;

import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.sweep.FeatureSpec;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The exact training set on a sample of spine rows, from the naive oracle (exact arithmetic,
 * rounded once), so that every system can be measured against the truth rather than each other.
 * Only the events of the sampled rows' cards are loaded, so the sample stays small at any size.
 * The result, {@code reference-stride-K.parquet} beside the data, is cached.
 */
final class ExactReference {
  private ExactReference() {}

  /** The reference for the rows whose id is a multiple of {@code stride}; generated unless cached. */
  static Path ensure(Path data, Path work, List<FeatureSpec> features, long stride) throws SQLException, IOException {
    Path reference = data.resolve("reference-stride-" + stride + ".parquet");
    if (Files.exists(reference)) {
      return reference;
    }
    long start = System.nanoTime();
    int sampled;
    String events = DuckDbTrainingSet.literal(data.resolve(TrainingSetData.EVENTS_FILE));
    String spine = DuckDbTrainingSet.literal(data.resolve(TrainingSetData.SPINE_FILE));
    try (DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      DuckDbSettings.apply(statement, work.resolve("reference-tmp"), "1GB");
      List<long[]> rows = new ArrayList<>();
      List<String> cards = new ArrayList<>();
      try (ResultSet result = statement.executeQuery("SELECT row_id, card_id, ts FROM read_parquet('" + spine
          + "') WHERE row_id % " + stride + " = 0 ORDER BY row_id")) {
        while (result.next()) {
          rows.add(new long[] {result.getLong(1), result.getLong(3)});
          cards.add(result.getString(2));
        }
      }
      Map<String, List<OracleEvent>> byCard = new HashMap<>();
      try (ResultSet result = statement.executeQuery("SELECT card_id, event_time, ingest_time, sequence, amount"
          + " FROM read_parquet('" + events + "') WHERE card_id IN (SELECT card_id FROM read_parquet('" + spine
          + "') WHERE row_id % " + stride + " = 0)")) {
        while (result.next()) {
          double amount = result.getDouble(5);
          Double value = result.wasNull() ? null : amount;
          byCard.computeIfAbsent(result.getString(1), card -> new ArrayList<>())
              .add(new OracleEvent(result.getLong(2), result.getLong(3), result.getLong(4), value));
        }
      }
      Object[][] values = new Object[rows.size()][];
      IntStream.range(0, rows.size()).parallel().forEach(i -> {
        List<OracleEvent> cardEvents = byCard.getOrDefault(cards.get(i), List.of());
        values[i] = features.stream()
            .map(feature -> NaiveOracle.evaluate(feature.aggregation(),
                feature.aggregation().function() == AggregationFunction.COUNT ? null : ValueType.DOUBLE,
                feature.window(), PointInTimeMode.EVENT_TIME, cardEvents, rows.get(i)[1]))
            .toArray();
      });
      write(connection, statement, features, rows, values, reference);
      sampled = rows.size();
    }
    System.err.printf("Computed the exact reference for %,d sampled rows in %.1f s%n",
        sampled, (System.nanoTime() - start) / 1e9);
    return reference;
  }

  private static void write(DuckDBConnection connection, Statement statement, List<FeatureSpec> features,
      List<long[]> rows, Object[][] values, Path reference) throws SQLException, IOException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE reference (row_id BIGINT");
    for (FeatureSpec feature : features) {
      ddl.append(", \"").append(feature.name()).append("\" ")
          .append(feature.aggregation().function() == AggregationFunction.COUNT ? "BIGINT" : "DOUBLE");
    }
    statement.execute(ddl.append(')').toString());
    try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "reference")) {
      for (int i = 0; i < rows.size(); i++) {
        appender.beginRow().append(rows.get(i)[0]);
        for (Object value : values[i]) {
          if (value == null) {
            appender.appendNull();
          } else if (value instanceof Long count) {
            appender.append(count.longValue());
          } else {
            appender.append(((Number) value).doubleValue());
          }
        }
        appender.endRow();
      }
    }
    Path temporary = reference.resolveSibling(reference.getFileName() + ".tmp");
    statement.execute("COPY reference TO '" + DuckDbTrainingSet.literal(temporary) + "' (FORMAT parquet)");
    Files.move(temporary, reference, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
