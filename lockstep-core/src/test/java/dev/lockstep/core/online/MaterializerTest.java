package dev.lockstep.core.online;

import dev.lockstep.core.online.materialize.MaterializeCheckpoint;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.materialize.MaterializeResult;
import dev.lockstep.core.online.state.Checkpoints;
import dev.lockstep.core.online.state.EntityKeys;
import dev.lockstep.core.online.state.EventRecords;
import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.state.ViewState;

import dev.lockstep.testkit.fakes.MemoryEventLog;
import dev.lockstep.testkit.fakes.MemoryOfflineStore;
import dev.lockstep.testkit.fakes.MemoryOnlineStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.testkit.ManualClock;
import dev.lockstep.examples.Payment;
import dev.lockstep.examples.PaymentsGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaterializerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Source PAYMENTS = Source.builder("payments", SourceFormat.CSV)
      .entity("card", "card_id")
      .eventTime("ts")
      .column("card_id", ValueType.STRING)
      .column("amount", ValueType.DOUBLE)
      .column("merchant", ValueType.STRING)
      .column("items", ValueType.LONG)
      .build();
  /** Windows up to 30 days: its default lower bound is 31 days before the snapshot. */
  private static final FeatureView CARD_TXN = FeatureView.builder("card_txn", "payments")
      .aggregate("count_5m", Aggregation.count(), Window.sliding(Duration.ofMinutes(5)))
      .aggregate("count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_sum_1h", Aggregation.sum("amount"), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_mean_1d", Aggregation.mean("amount"), Window.sliding(Duration.ofDays(1)))
      .aggregate("amount_max_7d", Aggregation.max("amount"), Window.sliding(Duration.ofDays(7)))
      .aggregate("merchants_1d", Aggregation.of(AggregationFunction.APPROX_COUNT_DISTINCT, "merchant"),
          Window.sliding(Duration.ofDays(1)))
      .aggregate("last_merchant_1h", Aggregation.of(AggregationFunction.LAST, "merchant"), Window.sliding(Duration.ofHours(1)))
      .aggregate("items_sum_30d", Aggregation.sum("items"), Window.sliding(Duration.ofDays(30)))
      .build();
  private static final FeatureView CARD_LATEST = FeatureView.builder("card_latest", "payments")
      .latest("last_amount", "amount", Duration.ofHours(2))
      .latest("last_merchant", "merchant", Duration.ofDays(1))
      .build();
  private static final FeatureView BIG_TXN = FeatureView.builder("big_txn", "payments")
      .filter("amount > 100")
      .maxLateness(Duration.ofMinutes(10))
      .aggregate("count_1h", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_sum_1d", Aggregation.sum("amount"), Window.sliding(Duration.ofDays(1)))
      .aggregate("amount_min_7d", Aggregation.min("amount"), Window.sliding(Duration.ofDays(7)))
      .build();
  /** A lifetime window and a latest value without TTL: every event counts. */
  private static final FeatureView CARD_ALL = FeatureView.builder("card_all", "payments")
      .aggregate("count", Aggregation.count(), Window.lifetime())
      .latest("first_seen_merchant", "merchant", null)
      .build();
  private static final FeatureRepository REPOSITORY = repository();

  @TempDir Path work;

  private final ManualClock clock = new ManualClock(NOW.minus(Duration.ofHours(1)));
  private final MemoryOfflineStore offline = new MemoryOfflineStore(clock);
  private final MemoryOnlineStore store = new MemoryOnlineStore();
  private final MemoryEventLog log = new MemoryEventLog();

  @Test
  void servesExactlyWhatAnAsOfIngestTrainingSetComputes() {
    List<Payment> payments = ingest(payments(12_000), 3);
    clock.set(NOW);
    try (OnlineRuntime runtime = runtime()) {
      MaterializeResult result = runtime.materialize(MaterializeOptions.defaults().withChunkEvents(2_500), MaterializeListener.QUIET);
      MaterializeResult.SourceResult source = result.sources().get(0);
      assertThat(source.chunks()).isEqualTo(5);
      assertThat(source.views()).isEqualTo(4);
      assertThat(source.events()).isEqualTo(payments.size()); // card_all is unbounded
      assertThat(source.entities()).isEqualTo(payments.stream().map(Payment::cardId).distinct().count());
      assertThat(source.snapshotId()).hasValue(offline.currentSnapshot("payments").orElseThrow().id());
      assertThat(source.watermark()).contains(offline.currentSnapshot("payments").orElseThrow().committedAt().plusMillis(1));

      assertParity(runtime, cards(payments));
      clock.set(NOW.plus(Duration.ofMinutes(47)));
      assertParity(runtime, cards(payments));
      clock.set(NOW.plus(Duration.ofHours(26)));
      assertParity(runtime, cards(payments));
    }
  }

  @Test
  void aSecondRunOrAnotherChunkCountChangesNoByte() {
    ingest(payments(6_000), 2);
    clock.set(NOW);
    try (OnlineRuntime runtime = runtime()) {
      runtime.materialize(MaterializeOptions.defaults().withChunkEvents(1_000), MaterializeListener.QUIET);
      Map<String, String> first = store.contents();
      assertThat(first.keySet()).anyMatch(key -> key.startsWith("card_txn/")).anyMatch(key -> key.startsWith("big_txn/"));

      clock.set(NOW.plus(Duration.ofHours(5)));
      runtime.materialize(MaterializeOptions.defaults().withChunkEvents(1_000), MaterializeListener.QUIET);
      assertThat(store.contents()).isEqualTo(first);

      runtime.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET);
      Map<String, String> single = store.contents();
      single.keySet().removeIf(key -> key.startsWith("checkpoint/materialize:"));
      Map<String, String> chunked = new TreeMap<>(first);
      chunked.keySet().removeIf(key -> key.startsWith("checkpoint/materialize:"));
      assertThat(single).isEqualTo(chunked);
    }
  }

  @Test
  void aRunStoppedBetweenChunksContinuesAtTheNextOne() {
    ingest(payments(6_000), 2);
    clock.set(NOW);
    MaterializeOptions options = MaterializeOptions.defaults().withChunkEvents(1_000);
    try (OnlineRuntime runtime = runtime()) {
      runtime.materialize(options, MaterializeListener.QUIET);
      Map<String, String> uninterrupted = store.contents();
      // a stale entity from before must not survive the rerun
      store.write("card_txn", List.of(new dev.lockstep.spi.online.Entry(EntityKey.of("stale"), new byte[] {1})));

      assertThatThrownBy(() -> runtime.materialize(options, new MaterializeListener() {
        @Override
        public void chunkDone(String source, int chunk, int chunks) {
          if (chunk == 1) {
            throw new IllegalStateException("crash");
          }
        }
      })).hasMessage("crash");
      assertThat(MaterializeCheckpoint.decode(store.checkpoint("materialize:payments").orElseThrow()).done()).isEqualTo(2);
      assertThat(store.contents()).isNotEqualTo(uninterrupted);
      // streaming started now would apply the log from the start, over the chunks written so far
      assertThat(Checkpoints.decode(store.checkpoint(Checkpoints.online("payments")).orElseThrow()))
          .containsExactly(0, Long.MIN_VALUE);

      List<Integer> started = new ArrayList<>();
      MaterializeResult resumed = runtime.materialize(options, new MaterializeListener() {
        @Override
        public void chunkStarted(String source, int chunk, int chunks, long rows) {
          started.add(chunk);
        }
      });
      assertThat(started).containsExactly(2, 3, 4, 5);
      assertThat(resumed.sources().get(0).resumedAt()).isEqualTo(2);
      assertThat(store.contents()).isEqualTo(uninterrupted);
    }
  }

  @Test
  void aStoppedRunStartsOverWhenStreamingAppliedEventsSince() {
    ingest(payments(6_000), 2);
    clock.set(NOW);
    MaterializeOptions options = MaterializeOptions.defaults().withChunkEvents(1_000);
    try (OnlineRuntime runtime = runtime()) {
      runtime.materialize(options, MaterializeListener.QUIET);
      Map<String, String> uninterrupted = store.contents();
      assertThatThrownBy(() -> runtime.materialize(options, new MaterializeListener() {
        @Override
        public void chunkDone(String source, int chunk, int chunks) {
          throw new IllegalStateException("crash");
        }
      })).hasMessage("crash");
      // as if the applier had applied a batch in between
      store.writeWithCheckpoint(Map.of(), Checkpoints.online("payments"), Checkpoints.encode(0, NOW.toEpochMilli()));

      MaterializeResult rerun = runtime.materialize(options, MaterializeListener.QUIET);
      assertThat(rerun.sources().get(0).resumedAt()).isZero();
      assertThat(store.contents()).isEqualTo(uninterrupted);
    }
  }

  @Test
  void aStoppedRunStartsOverWhenTheSnapshotChanged() {
    List<Payment> payments = payments(6_000);
    ingest(payments.subList(0, 5_000), 2);
    clock.set(NOW);
    MaterializeOptions options = MaterializeOptions.defaults().withChunkEvents(1_000);
    try (OnlineRuntime runtime = runtime()) {
      assertThatThrownBy(() -> runtime.materialize(options, new MaterializeListener() {
        @Override
        public void chunkDone(String source, int chunk, int chunks) {
          throw new IllegalStateException("crash");
        }
      })).hasMessage("crash");
      append(payments.subList(5_000, 6_000), "more");
      MaterializeResult rerun = runtime.materialize(options, MaterializeListener.QUIET);
      assertThat(rerun.sources().get(0).resumedAt()).isZero();
      Map<String, String> afterRestart = store.contents();

      runtime.materialize(options, MaterializeListener.QUIET);
      assertThat(store.contents()).isEqualTo(afterRestart);
      assertParity(runtime, cards(payments));
    }
  }

  @Test
  void fromAndToBoundTheEventTimesRead() {
    List<Payment> payments = ingest(payments(4_000), 1);
    clock.set(NOW);
    Instant from = NOW.minus(Duration.ofDays(10));
    Instant to = NOW.minus(Duration.ofDays(2));
    try (OnlineRuntime runtime = runtime()) {
      MaterializeResult result = runtime.materialize(MaterializeOptions.defaults().withFrom(from).withTo(to),
          MaterializeListener.QUIET);
      long inRange = payments.stream()
          .filter(p -> p.eventTime() >= from.toEpochMilli() && p.eventTime() < to.toEpochMilli()).count();
      assertThat(result.sources().get(0).events()).isEqualTo(inRange);
      assertThat(totalEvents("card_all", CARD_ALL)).isEqualTo(inRange);
      assertThat(totalEvents("card_txn", CARD_TXN)).isEqualTo(inRange);

      // by default, each view reads what its windows and TTLs can still see after the snapshot
      runtime.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET);
      long snapshotTime = offline.currentSnapshot("payments").orElseThrow().committedAt().toEpochMilli() + 1;
      long txnBound = snapshotTime - Duration.ofDays(31).toMillis();
      long latestBound = snapshotTime - Duration.ofDays(1).toMillis();
      assertThat(totalEvents("card_all", CARD_ALL)).isEqualTo(payments.size());
      assertThat(totalEvents("card_txn", CARD_TXN)).isEqualTo(payments.stream().filter(p -> p.eventTime() >= txnBound).count())
          .isLessThan(payments.size());
      assertThat(totalEvents("card_latest", CARD_LATEST))
          .isEqualTo(payments.stream().filter(p -> p.eventTime() >= latestBound).count());
    }
  }

  @Test
  void refusesWhileStreamingRuns() {
    ingest(payments(100), 1);
    try (OnlineRuntime runtime = runtime()) {
      runtime.startStreaming();
      assertThatThrownBy(() -> runtime.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET))
          .isInstanceOf(LockstepException.class)
          .hasMessage("Cannot materialize while streaming runs in this process (stop lockstep serve first)");
    }
  }

  @Test
  void theApplierResumesAfterTheStreamedEventsTheSnapshotHolds() throws Exception {
    List<Payment> payments = payments(3_000);
    ingest(payments.subList(0, 2_000), 1);
    // events 2000.. were pushed: all in the log; the appender committed the first batch and was
    // committing the second when the process stopped
    log.createStream("payments", 1);
    List<Payment> streamed = payments.subList(2_000, 3_000);
    List<LogRecord> records = new ArrayList<>();
    int[] keys = EntityKeys.keyPositions(PAYMENTS);
    for (Payment payment : streamed) {
      Object[] values = values(payment);
      records.add(new LogRecord(EntityKeys.ofEvent(PAYMENTS, keys, values).bytes(),
          EventRecords.encode(EventRecords.fingerprint(PAYMENTS), payment.eventTime(), payment.sequence() + 1, values, EventRecords.PUSHED),
          payment.ingestTime()));
    }
    log.append("payments", records);
    offline.append("payments", rows(streamed.subList(0, 600)), "log:payments:0:0");
    store.writeWithCheckpoint(Map.of(), Checkpoints.offline("payments"), Checkpoints.encode(600, 1_000));
    clock.set(NOW);

    try (OnlineRuntime runtime = runtime()) {
      MaterializeResult.SourceResult result =
          runtime.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET).sources().get(0);
      assertThat(result.logOffset()).isEqualTo(600);
      assertThat(result.events()).isEqualTo(2_600);
      assertThat(Checkpoints.decode(store.checkpoint(Checkpoints.online("payments")).orElseThrow()))
          .containsExactly(600, result.watermark().orElseThrow().toEpochMilli());

      runtime.startStreaming();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (Checkpoints.decode(store.checkpoint(Checkpoints.online("payments")).orElseThrow())[0] < 1_000
          || offline.findCommit("payments", "log:payments:0:600").isEmpty()) {
        assertThat(System.nanoTime()).as("the applier and appender catch up").isLessThan(deadline);
        Thread.sleep(10);
      }
      assertParity(runtime, cards(payments));
    }
    // the in-flight batch was committed by the appender once, so the table holds every event once
    assertThat(offline.highestSequence("payments")).isEqualTo(3_000);
    try (CloseableIterator<Row> rows = offline.scan("payments", dev.lockstep.spi.offline.ScanRequest.latest())) {
      long count = 0;
      while (rows.hasNext()) {
        rows.next();
        count++;
      }
      assertThat(count).isEqualTo(3_000);
    }
  }

  @Test
  void aCommittedInFlightBatchMovesTheApplierPastIt() {
    log.createStream("payments", 1);
    List<Payment> streamed = payments(500);
    List<LogRecord> records = new ArrayList<>();
    for (Payment payment : streamed) {
      records.add(new LogRecord(new byte[] {1},
          EventRecords.encode(EventRecords.fingerprint(PAYMENTS), payment.eventTime(), payment.sequence() + 1,
              values(payment), EventRecords.PUSHED), payment.ingestTime()));
    }
    log.append("payments", records);
    offline.createTable("payments", Ingester.tableSchema(PAYMENTS));
    offline.append("payments", rows(streamed.subList(0, 200)), "log:payments:0:0");
    offline.append("payments", rows(streamed.subList(200, 500)), "log:payments:0:200");
    store.writeWithCheckpoint(Map.of(), Checkpoints.offline("payments"), Checkpoints.encode(200, 500));
    clock.set(NOW);
    try (OnlineRuntime runtime = runtime()) {
      MaterializeResult.SourceResult result =
          runtime.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET).sources().get(0);
      assertThat(result.logOffset()).isEqualTo(500);
      assertThat(result.events()).isEqualTo(500);
    }
  }

  @Test
  void anEmptyTableClearsTheViews() {
    clock.set(NOW);
    store.write("card_txn", List.of(new dev.lockstep.spi.online.Entry(EntityKey.of("stale"), new byte[] {1})));
    try (OnlineRuntime runtime = runtime()) {
      MaterializeResult.SourceResult result =
          runtime.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET).sources().get(0);
      assertThat(result.snapshotId()).isEmpty();
      assertThat(result.events()).isZero();
      assertThat(result.watermark()).isEmpty();
      assertThat(store.view("card_txn")).isEmpty();
    }
  }

  // ---------------------------------------------------------------- helpers

  private OnlineRuntime runtime() {
    return new OnlineRuntime(REPOSITORY, 1, store, log, offline, getClass().getClassLoader(), clock);
  }

  /** Seeded payments over the 40 days before {@link #NOW}, with late events and duplicate times. */
  private static List<Payment> payments(int events) {
    return PaymentsGenerator.builder()
        .seed(events)
        .events(events)
        .cards(150)
        .merchants(40)
        .start(NOW.minus(Duration.ofDays(40)))
        .span(Duration.ofDays(40).minusHours(2))
        .lateRate(0.1)
        .maxLateness(Duration.ofMinutes(40))
        .build()
        .toList();
  }

  /** Appends {@code payments} to the offline table in {@code commits} commits, as batch ingests do. */
  private List<Payment> ingest(List<Payment> payments, int commits) {
    offline.createTable("payments", Ingester.tableSchema(PAYMENTS));
    int size = (payments.size() + commits - 1) / commits;
    for (int from = 0; from < payments.size(); from += size) {
      append(payments.subList(from, Math.min(payments.size(), from + size)), "file-" + from);
    }
    return payments;
  }

  private void append(List<Payment> payments, String commitKey) {
    offline.append("payments", rows(payments), commitKey);
  }

  private static List<Row> rows(List<Payment> payments) {
    return payments.stream()
        .map(p -> new Row(p.eventTime(), p.ingestTime(), p.sequence() + 1, Arrays.asList(values(p))))
        .toList();
  }

  private static Object[] values(Payment payment) {
    return new Object[] {payment.cardId(), payment.amount(), payment.merchant(), payment.items()};
  }

  private static List<String> cards(List<Payment> payments) {
    List<String> cards = new ArrayList<>(payments.stream().map(Payment::cardId).distinct().sorted().toList());
    cards.add("unknown-card");
    return cards;
  }

  /** The events the stored states of {@code view} were built from, over every entity. */
  private long totalEvents(String view, FeatureView definition) {
    ViewLayout layout = ViewLayout.of(definition, PAYMENTS);
    return store.view(view).values().stream().mapToLong(bytes -> ViewState.decode(layout, bytes).eventCount()).sum();
  }

  /**
   * Fetches every card through the embedded client and checks each value against an {@code
   * AS_OF_INGEST} training set at the time the vectors were served: identical, doubles bit for bit.
   */
  private void assertParity(OnlineRuntime runtime, List<String> cards) {
    List<Map<String, Object>> entities = cards.stream().<Map<String, Object>>map(card -> Map.of("card_id", card)).toList();
    List<FeatureVector> vectors = runtime.client().features(BatchFeatureRequest.forService("fraud", entities));
    AsOfIngestOracle.Checked checked =
        AsOfIngestOracle.assertServedExactly(offline, REPOSITORY, "fraud", work, "card_id", vectors);
    assertThat(checked.columns()).hasSize(CARD_TXN.features().size() + CARD_LATEST.features().size()
        + BIG_TXN.features().size() + CARD_ALL.features().size());
    assertThat(checked.present()).as("values that are neither null nor 0").isGreaterThan(cards.size());
  }

  private static FeatureRepository repository() {
    List<String> references = new ArrayList<>();
    for (FeatureView view : List.of(CARD_TXN, CARD_LATEST, BIG_TXN, CARD_ALL)) {
      view.features().forEach(feature -> references.add(view.name() + ":" + feature.name()));
    }
    return FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(PAYMENTS)
        .featureView(CARD_TXN)
        .featureView(CARD_LATEST)
        .featureView(BIG_TXN)
        .featureView(CARD_ALL)
        .featureService(FeatureService.of("fraud", references.toArray(String[]::new)))
        .build();
  }
}
