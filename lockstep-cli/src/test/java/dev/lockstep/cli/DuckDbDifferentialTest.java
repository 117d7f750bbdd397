package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetOptions;
import dev.lockstep.testkit.sql.EventsTable;
import dev.lockstep.testkit.sql.LatestFeature;
import dev.lockstep.testkit.sql.PointInTimeSql;
import dev.lockstep.testkit.sql.SpineTable;
import dev.lockstep.testkit.sql.WindowedFeature;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same training set computed twice: by Lockstep (CSV ingested into Iceberg, the engine's sweep,
 * Parquet out) and by an independent DuckDB SQL query implementing the docs/architecture.md "Semantics" formulas over the
 * same CSV files ({@link PointInTimeSql}). Seeded synthetic data inside that query's exactness
 * conditions (amounts are multiples of 1/8); every value must match exactly.
 */
class DuckDbDifferentialTest {
  private static final long MINUTE = 60_000;
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

  /** Feature name, YAML, and the same feature for the SQL formulation. */
  private record Feature(String name, String yaml, WindowedFeature sql) {}

  private static final List<Feature> FEATURES = List.of(
      windowed("txn_count_10m", "aggregation: count, window: 10m, hop: 5m", Aggregation.count(), Window.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5))),
      windowed("amount_sum_1h", "aggregation: sum, column: amount, window: 1h", Aggregation.sum("amount"), Window.sliding(Duration.ofHours(1))),
      windowed("amount_mean_6h", "aggregation: mean, column: amount, window: 6h, hop: 30m", Aggregation.mean("amount"), Window.sliding(Duration.ofHours(6), Duration.ofMinutes(30))),
      windowed("amount_var_1d", "aggregation: var_samp, column: amount, window: 1d", Aggregation.of(AggregationFunction.VAR_SAMP, "amount"), Window.sliding(Duration.ofDays(1))),
      windowed("amount_std_life", "aggregation: stddev_pop, column: amount, window: lifetime", Aggregation.of(AggregationFunction.STDDEV_POP, "amount"), Window.lifetime()),
      windowed("amount_max_2h", "aggregation: max, column: amount, window: 2h", Aggregation.max("amount"), Window.sliding(Duration.ofHours(2))),
      windowed("amount_min_2h", "aggregation: min, column: amount, window: 2h", Aggregation.min("amount"), Window.sliding(Duration.ofHours(2))),
      windowed("amount_n_1h", "aggregation: count_non_null, column: amount, window: 1h", Aggregation.countNonNull("amount"), Window.sliding(Duration.ofHours(1))),
      windowed("merchant_first_1h", "aggregation: first, column: merchant, window: 1h", Aggregation.of(AggregationFunction.FIRST, "merchant"), Window.sliding(Duration.ofHours(1))),
      windowed("merchant_last_1h", "aggregation: last, column: merchant, window: 1h", Aggregation.of(AggregationFunction.LAST, "merchant"), Window.sliding(Duration.ofHours(1))),
      windowed("merchant_max_1d", "aggregation: max, column: merchant, window: 1d", Aggregation.max("merchant"), Window.sliding(Duration.ofDays(1))),
      windowed("recent_merchants", "aggregation: last_k, k: 3, column: merchant, window: 3h", Aggregation.lastK("merchant", 3), Window.sliding(Duration.ofHours(3))),
      windowed("first_items", "aggregation: first_k, k: 2, column: items, window: 1d", Aggregation.firstK("items", 2), Window.sliding(Duration.ofDays(1))),
      windowed("items_sum_1d", "aggregation: sum, column: items, window: 1d", Aggregation.sum("items"), Window.sliding(Duration.ofDays(1))));

  @TempDir Path repo;

  @Test
  void lockstepMatchesAnIndependentSqlFormulation() throws Exception {
    writeData(new SplittableRandom(20261121));
    StringBuilder yaml = new StringBuilder("""
        entities:
          - {name: card, join_keys: [card_id]}
        sources:
          - name: payments
            format: csv
            entity: card
            keys: [card_id]
            event_time: ts
            ingest_time: received_at
            columns: {card_id: string, amount: double, merchant: string, items: long}
        feature_views:
          - name: card_txn
            source: payments
            features:
        """);
    StringBuilder service = new StringBuilder();
    for (Feature feature : FEATURES) {
      yaml.append("      - {name: ").append(feature.name()).append(", ").append(feature.yaml()).append("}\n");
      service.append(service.isEmpty() ? "" : ", ").append("card_txn:").append(feature.name());
    }
    yaml.append("      - {name: last_amount, latest: amount, ttl: 45m}\n");
    yaml.append("feature_services:\n  - {name: all, features: [").append(service).append(", card_txn:last_amount]}\n");
    Files.writeString(repo.resolve("features.yaml"), yaml);

    try (Lockstep lockstep = Lockstep.open(repo); DuckDb duckDb = new DuckDb()) {
      lockstep.apply(lockstep.plan());
      assertThat(lockstep.ingest("payments", repo.resolve("payments-1.csv")).accepted()).isEqualTo(6000);
      assertThat(lockstep.ingest("payments", repo.resolve("payments-2.csv")).accepted()).isEqualTo(4000);
      duckDb.rows("SELECT 1"); // driver loaded
      try (var statement = duckDb.connection().createStatement()) {
        statement.execute("CREATE TABLE events AS SELECT card_id, epoch_ms(ts) AS event_ms, epoch_ms(received_at) AS ingest_ms,"
            + " seq, amount, merchant, items FROM read_csv(['" + repo.resolve("payments-1.csv") + "', '"
            + repo.resolve("payments-2.csv") + "'], header = true, columns = {'card_id': 'VARCHAR',"
            + " 'ts': 'TIMESTAMPTZ', 'received_at': 'TIMESTAMPTZ', 'amount': 'DOUBLE', 'merchant': 'VARCHAR',"
            + " 'items': 'BIGINT', 'seq': 'BIGINT'})");
        statement.execute("CREATE TABLE spine AS SELECT row_id, card_id, epoch_ms(ts) AS t_ms FROM read_csv('"
            + repo.resolve("spine.csv") + "', header = true, columns = {'row_id': 'BIGINT', 'card_id': 'VARCHAR', 'ts': 'TIMESTAMPTZ'})");
      }
      for (PointInTimeMode mode : PointInTimeMode.values()) {
        Path out = repo.resolve("out-" + mode);
        lockstep.trainingSet(TrainingSetOptions.forService("all", repo.resolve("spine.csv"), out).withMode(mode).withThreads(2),
            TrainingSetListener.QUIET);
        PointInTimeSql.Builder sql = PointInTimeSql.builder()
            .events(new EventsTable("events", "card_id", "event_ms", "ingest_ms", "seq",
                Map.of("amount", ValueType.DOUBLE, "merchant", ValueType.STRING, "items", ValueType.LONG)))
            .spine(new SpineTable("spine", "row_id", "card_id", "t_ms"))
            .mode(mode);
        FEATURES.forEach(feature -> sql.feature(feature.sql()));
        sql.latest(new LatestFeature("last_amount", "amount", Duration.ofMinutes(45)));
        List<List<Object>> expected = duckDb.rows(sql.build().sql());
        List<String> columns = new ArrayList<>();
        FEATURES.forEach(feature -> columns.add("card_txn__" + feature.name()));
        columns.add("card_txn__last_amount");
        // spine rows pass through in order, so the output's row order is the spine's
        List<List<Object>> actual = duckDb.rows("SELECT CAST(row_id AS BIGINT), " + String.join(", ", columns) + " FROM "
            + DuckDb.parquet(out.resolve("part-00000.parquet")));
        assertThat(actual).hasSize(expected.size()).hasSize(2000);
        for (int row = 0; row < expected.size(); row++) {
          for (int column = 0; column < expected.get(row).size(); column++) {
            assertThat(actual.get(row).get(column))
                .as("mode %s, spine row %s, %s", mode, expected.get(row).get(0),
                    column == 0 ? "row_id" : columns.get(column - 1))
                .isEqualTo(expected.get(row).get(column));
          }
        }
      }
    }
  }

  /**
   * Two files of payments (the second ingested later), with explicit sequences equal to what
   * Lockstep assigns (row order across the two ingests), ties on event time, late arrivals,
   * nulls; and a spine of 2,000 rows, some at exactly an event's time.
   */
  private void writeData(SplittableRandom random) throws Exception {
    List<Long> eventTimes = new ArrayList<>();
    long seq = 0;
    for (int file = 1; file <= 2; file++) {
      try (BufferedWriter out = Files.newBufferedWriter(repo.resolve("payments-" + file + ".csv"))) {
        out.write("card_id,ts,received_at,amount,merchant,items,seq\n");
        int rows = file == 1 ? 6000 : 4000;
        for (int i = 0; i < rows; i++) {
          long eventTime = START.toEpochMilli() + random.nextLong(3 * 24 * 60) * MINUTE
              + (random.nextInt(4) == 0 ? 0 : random.nextLong(MINUTE));
          if (!eventTimes.isEmpty() && random.nextInt(20) == 0) {
            eventTime = eventTimes.get(random.nextInt(eventTimes.size())); // a tie
          }
          eventTimes.add(eventTime);
          long received = eventTime + (random.nextInt(6) == 0 ? random.nextLong(2 * 60 * MINUTE) : 0);
          String amount = random.nextInt(10) == 0 ? "" : Double.toString(random.nextInt(-800, 8000) / 8.0);
          String merchant = random.nextInt(10) == 0 ? "" : "m-" + random.nextInt(30);
          String items = random.nextInt(10) == 0 ? "" : Integer.toString(random.nextInt(1, 9));
          out.write("c" + random.nextInt(60) + "," + Instant.ofEpochMilli(eventTime) + "," + Instant.ofEpochMilli(received)
              + "," + amount + "," + merchant + "," + items + "," + (++seq) + "\n");
        }
      }
    }
    try (BufferedWriter out = Files.newBufferedWriter(repo.resolve("spine.csv"))) {
      out.write("row_id,card_id,ts\n");
      for (int i = 0; i < 2000; i++) {
        long t = random.nextBoolean()
            ? eventTimes.get(random.nextInt(eventTimes.size()))
            : START.toEpochMilli() + random.nextLong(-60, 4 * 24 * 60) * MINUTE + random.nextLong(MINUTE);
        String card = random.nextInt(50) == 0 ? "nobody" : "c" + random.nextInt(60);
        out.write(i + "," + card + "," + Instant.ofEpochMilli(t) + "\n");
      }
    }
  }

  private static Feature windowed(String name, String yaml, Aggregation aggregation, Window window) {
    return new Feature(name, yaml, new WindowedFeature(name, aggregation, window));
  }

}
