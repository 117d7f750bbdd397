package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.training.FeatureColumn;
import dev.lockstep.core.training.SpineInput;
import dev.lockstep.core.training.TrainingSetBuilder;
import dev.lockstep.core.training.TrainingSetSink;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.examples.Payment;
import dev.lockstep.examples.PaymentsGenerator;
import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep materialize} end to end on the embedded backends (Iceberg, RocksDB): what the
 * embedded client then serves equals an {@code AS_OF_INGEST} training set at the serving time, bit
 * for bit, and a second run writes the same bytes.
 */
class MaterializeTest {
  private static final String DEFINITIONS = """
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
            - {name: count_5m, aggregation: count, window: 5m}
            - {name: count_1h, aggregation: count, window: 1h}
            - {name: amount_sum_1h, aggregation: sum, column: amount, window: 1h}
            - {name: amount_mean_24h, aggregation: mean, column: amount, window: 24h}
            - {name: amount_max_7d, aggregation: max, column: amount, window: 7d}
            - {name: merchants_24h, aggregation: approx_count_distinct, column: merchant, window: 24h}
            - {name: last_merchant_1h, aggregation: last, column: merchant, window: 1h}
            - {name: items_sum_30d, aggregation: sum, column: items, window: 30d}
        - name: card_latest
          source: payments
          features:
            - {name: last_amount, latest: amount, ttl: 2h}
        - name: big_txn
          source: payments
          filter: "amount > 100"
          max_lateness: 10m
          features:
            - {name: count_1h, aggregation: count, window: 1h}
            - {name: amount_sum_24h, aggregation: sum, column: amount, window: 24h}
        - name: card_all
          source: payments
          features:
            - {name: count, aggregation: count, window: lifetime}
      feature_services:
        - name: fraud
          features: [card_txn:count_5m, card_txn:count_1h, card_txn:amount_sum_1h, card_txn:amount_mean_24h,
                     card_txn:amount_max_7d, card_txn:merchants_24h, card_txn:last_merchant_1h,
                     card_txn:items_sum_30d, card_latest:last_amount, big_txn:count_1h, big_txn:amount_sum_24h,
                     card_all:count]
      """;
  private static final List<String> VIEWS = List.of("card_txn", "card_latest", "big_txn", "card_all");

  @TempDir Path repo;
  @TempDir Path work;
  private List<Payment> payments;

  @BeforeEach
  void applyAndIngest() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    payments = PaymentsGenerator.builder()
        .seed(11)
        .events(20_000)
        .cards(300)
        .merchants(60)
        .start(now.minus(Duration.ofDays(30)))
        .span(Duration.ofDays(30).minusHours(1))
        .lateRate(0.1)
        .maxLateness(Duration.ofMinutes(40))
        .build()
        .toList();
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    try (BufferedWriter out = Files.newBufferedWriter(repo.resolve("payments.csv"))) {
      out.write("card_id,ts,received_at,amount,merchant,items\n");
      for (Payment p : payments) {
        out.write(p.cardId() + "," + Instant.ofEpochMilli(p.eventTime()) + "," + Instant.ofEpochMilli(p.ingestTime())
            + "," + (p.amount() == null ? "" : p.amount()) + "," + (p.merchant() == null ? "" : p.merchant()) + ","
            + p.items() + "\n");
      }
    }
    assertThat(Cli.run("-C", repo.toString(), "apply").exitCode()).isZero();
    assertThat(Cli.run("-C", repo.toString(), "ingest", "payments", repo.resolve("payments.csv").toString()).out())
        .contains("20000 rows accepted");
  }

  @Test
  void servesWhatAnAsOfIngestTrainingSetComputesAndASecondRunChangesNoByte() {
    Cli.Result first = Cli.run("-C", repo.toString(), "materialize", "-q");
    assertThat(first.exitCode()).as(first.err()).isZero();
    long cards = payments.stream().map(Payment::cardId).distinct().count();
    assertThat(first.out()).matches(String.format(
        "payments: 20,000 events, %,d entities, 4 views from snapshot -?\\d+ in \\d+\\.\\d s%n", cards));
    Map<String, String> stored = storedBytes();
    assertThat(stored).hasSizeGreaterThan((int) cards);

    Cli.Result second = Cli.run("-C", repo.toString(), "materialize");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err()).contains("payments");
    assertThat(storedBytes()).isEqualTo(stored);

    try (Lockstep lockstep = Lockstep.open(repo)) {
      List<String> keys = new ArrayList<>(payments.stream().map(Payment::cardId).distinct().sorted().toList());
      keys.add("no-such-card");
      List<Map<String, Object>> entities = keys.stream().<Map<String, Object>>map(card -> Map.of("card_id", card)).toList();
      List<FeatureVector> vectors = lockstep.online().client().features(BatchFeatureRequest.forService("fraud", entities));
      long t = vectors.get(0).t().toEpochMilli();
      List<FeatureColumn> columns = new ArrayList<>();
      List<Object[]> expected = trainingSet(lockstep, keys, t, columns);
      assertThat(columns).hasSize(12);
      for (int e = 0; e < keys.size(); e++) {
        for (int c = 0; c < columns.size(); c++) {
          Object served = vectors.get(e).value(columns.get(c).name());
          Object built = expected.get(e)[c];
          String what = keys.get(e) + " " + columns.get(c).name();
          if (built instanceof Double number) {
            assertThat(served).as(what).isInstanceOf(Double.class);
            assertThat(Double.doubleToRawLongBits((Double) served)).as(what).isEqualTo(Double.doubleToRawLongBits(number));
          } else {
            assertThat(served).as(what).isEqualTo(built);
          }
        }
      }
      assertThat(vectors.get(0).value("card_all__count")).isNotEqualTo(0L);
    }
  }

  @Test
  void fromAndToBoundTheEventTimesLoaded() {
    Instant from = Instant.ofEpochMilli(payments.get(5_000).eventTime());
    Instant to = Instant.ofEpochMilli(payments.get(15_000).eventTime());
    Cli.Result result = Cli.run("-C", repo.toString(), "materialize", "-q", "--from", from.toString(), "--to", to.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    long inRange = payments.stream()
        .filter(p -> p.eventTime() >= from.toEpochMilli() && p.eventTime() < to.toEpochMilli()).count();
    assertThat(result.out()).startsWith(String.format("payments: %,d events, ", inRange));

    Cli.Result backwards = Cli.run("-C", repo.toString(), "materialize", "--from", to.toString(), "--to", from.toString());
    assertThat(backwards.exitCode()).isEqualTo(1);
    assertThat(backwards.err()).startsWith("lockstep: Cannot materialize event times from " + to + " to " + from);
  }

  @Test
  void refusesWhileStreamingRunsInTheProcess() {
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.online().startStreaming();
      assertThatThrownBy(() -> lockstep.online().materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET))
          .isInstanceOf(LockstepException.class)
          .hasMessage("Cannot materialize while streaming runs in this process (stop lockstep serve first)");
    }
  }

  private List<Object[]> trainingSet(Lockstep lockstep, List<String> keys, long t, List<FeatureColumn> columns) {
    FeatureRepository repository = lockstep.applied().repository();
    List<Object[]> spine = keys.stream().map(card -> new Object[] {card, t}).toList();
    List<Object[]> rows = new ArrayList<>();
    TrainingSetBuilder.forService(lockstep.offlineStore(), repository, "fraud")
        .mode(PointInTimeMode.AS_OF_INGEST)
        .workDirectory(work)
        .build(new SpineInput() {
          @Override
          public List<String> columns() {
            return List.of("card_id", "ts");
          }

          @Override
          public CloseableIterator<Object[]> open() {
            return CloseableIterator.of(spine.iterator());
          }

          @Override
          public long timeMillis(Object[] row) {
            return (Long) row[1];
          }
        }, (part, featureColumns) -> {
          columns.addAll(featureColumns);
          return new TrainingSetSink() {
            @Override
            public void write(Object[] spineRow, Object[] features) {
              rows.add(features.clone());
            }

            @Override
            public void close() {}
          };
        });
    return rows;
  }

  /** Every state of every card in every view, and the runtime's checkpoints, as hex. */
  private Map<String, String> storedBytes() {
    Map<String, String> bytes = new TreeMap<>();
    List<String> cards = payments.stream().map(Payment::cardId).distinct().sorted().toList();
    List<EntityKey> keys = cards.stream().map(MaterializeTest::entityKey).toList();
    try (OnlineStore store = Backends.load(OnlineStore.class, "rocksdb",
        Map.of("dir", repo.resolve(".lockstep/online").toString()))) {
      for (String view : VIEWS) {
        List<byte[]> values = store.read(view, keys);
        for (int i = 0; i < keys.size(); i++) {
          if (values.get(i) != null) {
            bytes.put(view + "/" + cards.get(i), HexFormat.of().formatHex(values.get(i)));
          }
        }
      }
      for (String consumer : List.of("online:payments", "offline:payments", "materialize:payments")) {
        ((SupportsAtomicCheckpoint) store).checkpoint(consumer)
            .ifPresent(value -> bytes.put(consumer, HexFormat.of().formatHex(value)));
      }
    }
    assertThat(bytes).containsKeys("online:payments", "materialize:payments");
    return bytes;
  }

  /** The stored key of a one-string-column entity: tag 3, the UTF-8 length, the UTF-8 bytes. */
  private static EntityKey entityKey(String card) {
    byte[] utf8 = card.getBytes(StandardCharsets.UTF_8);
    return EntityKey.of(ByteBuffer.allocate(5 + utf8.length).put((byte) 3).putInt(utf8.length).put(utf8).array());
  }
}
