package dev.lockstep.core.online;

import dev.lockstep.testkit.fakes.MemoryEventLog;
import dev.lockstep.testkit.fakes.MemoryOfflineStore;
import dev.lockstep.testkit.fakes.MemoryOnlineStore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events dated after the serving time (producer clocks ahead of the server's, batches stamped at
 * their close) are served exactly as the clock passes them, and events beyond the source's
 * {@code max_future} are quarantined at the door. A manual clock moves the server's time; every
 * vector read is checked against an {@code AS_OF_INGEST} rebuild at its {@code t}.
 */
class FutureEventsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:30Z");
  private static final Duration MAX_FUTURE = Duration.ofMinutes(2);
  private static final Source PAYMENTS = Source.builder("payments", SourceFormat.JSONL)
      .entity("card", "card_id")
      .eventTime("ts")
      .maxFuture(MAX_FUTURE)
      .column("card_id", ValueType.STRING)
      .column("amount", ValueType.DOUBLE)
      .column("merchant", ValueType.STRING)
      .build();
  private static final FeatureView CARD_TXN = FeatureView.builder("card_txn", "payments")
      .aggregate("count_5m", Aggregation.count(), Window.sliding(Duration.ofMinutes(5)))
      .aggregate("amount_sum_1h", Aggregation.sum("amount"), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_mean_1d", Aggregation.mean("amount"), Window.sliding(Duration.ofDays(1)))
      .aggregate("amount_stddev_1h", Aggregation.of(AggregationFunction.STDDEV_SAMP, "amount"),
          Window.sliding(Duration.ofHours(1)))
      .aggregate("merchants_1d", Aggregation.of(AggregationFunction.APPROX_COUNT_DISTINCT, "merchant"),
          Window.sliding(Duration.ofDays(1)))
      .aggregate("last_3_merchants", Aggregation.lastK("merchant", 3), Window.sliding(Duration.ofHours(1)))
      .aggregate("amount_max_7d", Aggregation.max("amount"), Window.sliding(Duration.ofDays(7)))
      .latest("last_merchant", "merchant", null)
      .latest("last_amount", "amount", Duration.ofMinutes(30))
      .build();
  private static final FeatureRepository REPOSITORY = FeatureRepository.builder()
      .entity(Entity.of("card", "card_id"))
      .source(PAYMENTS)
      .featureView(CARD_TXN)
      .featureService(FeatureService.of("fraud", CARD_TXN.features().stream()
          .map(feature -> "card_txn:" + feature.name()).toArray(String[]::new)))
      .build();

  @TempDir Path work;

  private final ManualClock clock = new ManualClock(T0);
  private final MemoryOfflineStore offline = new MemoryOfflineStore(clock);
  private final MemoryOnlineStore store = new MemoryOnlineStore();
  private final MemoryEventLog log = new MemoryEventLog();

  /**
   * A burst of 100 payments of one card dated 0.5 s to 99.5 s after the serving time (across two
   * tile boundaries of the 5-minute count's 1-minute hop), one dated exactly at a later read time,
   * and older history; then reads as the clock passes each of them: every read succeeds, each
   * event counts from the millisecond after its time on, and nothing differs from the rebuild.
   */
  @Test
  void aBurstDatedAfterTheReadTimeIsServedExactlyAsTheClockPassesEachEvent() {
    long t0 = T0.toEpochMilli();
    List<Map<String, Object>> events = new ArrayList<>();
    events.add(payment("card-1", t0 - 600_000, 10.0, "m-old"));
    events.add(payment("card-1", t0 - 1_000, 11.0, "m-recent"));
    for (int i = 0; i < 100; i++) {
      events.add(payment("card-1", t0 + 500 + i * 1_000L, 1.5 + i, "m-" + (i % 17)));
    }
    long exactly = t0 + 50_000;
    events.add(payment("card-1", exactly, 1_000.25, "m-exact"));
    events.add(payment("card-2", t0 + 30_000, 3.0, "m-other"));
    List<FeatureVector> served = new ArrayList<>();
    try (OnlineRuntime runtime = runtime()) {
      runtime.startStreaming();
      PushResult pushed = runtime.client().push("payments", events);
      assertThat(pushed.rejected()).isEmpty();
      clock.set(T0.plusMillis(1));
      runtime.awaitApplied(Duration.ofSeconds(30));

      FeatureVector first = readAt(runtime, "card-1", t0 + 1);
      assertThat(first.value("card_txn__count_5m")).isEqualTo(1L); // only m-recent is before t
      assertThat(first.value("card_txn__last_merchant")).isEqualTo("m-recent");
      served.add(first);
      TreeSet<Long> times = new TreeSet<>(List.of(exactly, exactly + 1, t0 + 100_000));
      for (long t = t0 + 400; t <= t0 + 100_600; t += 250) {
        times.add(t);
      }
      Map<Long, FeatureVector> byTime = new HashMap<>();
      for (long t : times) { // the server's clock only moves forward
        FeatureVector vector = readAt(runtime, "card-1", t);
        byTime.put(t, vector);
        served.add(vector);
        served.add(readAt(runtime, "card-2", t));
      }
      FeatureVector atExactly = byTime.get(exactly);
      FeatureVector after = byTime.get(exactly + 1);
      assertThat(atExactly.value("card_txn__last_merchant")).isEqualTo("m-" + (49 % 17));
      assertThat(after.value("card_txn__last_merchant")).isEqualTo("m-exact");
      assertThat((Long) after.value("card_txn__count_5m")).isEqualTo((Long) atExactly.value("card_txn__count_5m") + 1);
      FeatureVector last = byTime.get(t0 + 100_000);
      assertThat(last.value("card_txn__count_5m")).isEqualTo(102L); // m-recent, 100 of the burst, m-exact
      assertThat(last.value("card_txn__last_merchant")).isEqualTo("m-" + (99 % 17));
      runtime.flushOffline();
    }
    AsOfIngestOracle.Checked checked =
        AsOfIngestOracle.assertServedExactly(offline, REPOSITORY, "fraud", work, "card_id", served);
    assertThat(checked.present()).isGreaterThan(served.size() * 5);
  }

  /**
   * An event dated exactly {@code max_future} after its ingest is accepted; one a millisecond
   * further is refused with the rule and quarantined with its raw payload, and the next event of
   * the same push still goes through.
   */
  @Test
  void anEventBeyondTheFutureBoundIsQuarantinedAndItsNeighboursAreKept() {
    long t0 = T0.toEpochMilli();
    long bound = MAX_FUTURE.toMillis();
    try (OnlineRuntime runtime = runtime()) {
      runtime.startStreaming();
      PushResult pushed = runtime.client().push("payments", List.of(
          payment("card-1", t0 + bound, 1.0, "at-bound"),
          payment("card-1", t0 + bound + 1, 2.0, "beyond"),
          payment("card-1", 1_796_668_800_000_000_000L, 3.0, "nanoseconds"),
          payment("card-1", t0, 4.0, "now")));
      assertThat(pushed.accepted()).isEqualTo(2);
      assertThat(pushed.rejected()).extracting(PushResult.Rejection::index).containsExactly(1, 2);
      assertThat(pushed.rejected().get(1).reason()).isEqualTo("schema: the event time 1796668800000000000 ms since the"
          + " epoch is beyond the years -290308 to 294247 that offline stores hold (check the time column's unit: epoch"
          + " milliseconds, or an ISO-8601 string)");
      assertThat(pushed.rejected().get(0).reason()).isEqualTo("max_future: the event at "
          + Instant.ofEpochMilli(t0 + bound + 1) + " is dated 2m after its ingest at " + T0
          + " (at most 2m ahead: fix the producer's clock or timestamp unit, or raise max_future on source payments)");
      clock.set(T0.plusMillis(1));
      runtime.awaitApplied(Duration.ofSeconds(30));
      runtime.flushOffline();
    }
    List<String> quarantined = new ArrayList<>();
    try (CloseableIterator<Row> rows = offline.scan(Ingester.quarantineTable("payments"), ScanRequest.latest())) {
      while (rows.hasNext()) {
        Row row = rows.next();
        quarantined.add(row.values().get(Ingester.QUARANTINE_SCHEMA.position("rule")) + " "
            + row.values().get(Ingester.QUARANTINE_SCHEMA.position("raw")));
      }
    }
    assertThat(quarantined).hasSize(2);
    assertThat(quarantined.get(0)).startsWith("max_future {").contains("\"beyond\"");
    assertThat(quarantined.get(1)).startsWith("schema {").contains("\"nanoseconds\"");
    long stored;
    try (CloseableIterator<Row> rows = offline.scan("payments", ScanRequest.latest())) {
      stored = 0;
      while (rows.hasNext()) {
        rows.next();
        stored++;
      }
    }
    assertThat(stored).isEqualTo(2);
  }

  /**
   * Reads {@code card} once the runtime serves at {@code t}: moves the clock there and waits for the
   * applier to publish a watermark that reaches it (it does so within milliseconds when idle).
   */
  private FeatureVector readAt(OnlineRuntime runtime, String card, long t) {
    clock.set(Instant.ofEpochMilli(t));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      FeatureVector vector = runtime.client().features(FeatureRequest.forService("fraud", Map.of("card_id", card)));
      if (vector.t().toEpochMilli() == t) {
        return vector;
      }
      assertThat(vector.t().toEpochMilli()).as("served time").isLessThan(t);
      assertThat(System.nanoTime()).as("the watermark reaches " + Instant.ofEpochMilli(t)).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static Map<String, Object> payment(String card, long ts, double amount, String merchant) {
    Map<String, Object> event = new HashMap<>();
    event.put("card_id", card);
    event.put("ts", ts);
    event.put("amount", amount);
    event.put("merchant", merchant);
    return event;
  }

  private OnlineRuntime runtime() {
    return new OnlineRuntime(REPOSITORY, 1, store, log, offline, getClass().getClassLoader(), clock);
  }
}
