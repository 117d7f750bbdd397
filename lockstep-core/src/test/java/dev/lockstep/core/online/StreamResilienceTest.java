package dev.lockstep.core.online;

import dev.lockstep.core.online.state.EntityKeys;
import dev.lockstep.core.online.state.EventRecords;

import dev.lockstep.testkit.fakes.MemoryEventLog;
import dev.lockstep.testkit.fakes.MemoryOfflineStore;
import dev.lockstep.testkit.fakes.MemoryOnlineStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.ServiceUnavailableException;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.core.config.LimitsConfig;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Nothing one record or one client does stops a stream: a logged event the offline table cannot
 * hold is quarantined and the stream goes on, across a restart; a push flood meets 503s once the
 * unapplied backlog is full, and every acknowledged event is applied and stored exactly once.
 */
class StreamResilienceTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Source PAYMENTS = Source.builder("payments", SourceFormat.JSONL)
      .entity("card", "card_id")
      .eventTime("ts")
      .column("card_id", ValueType.STRING)
      .column("amount", ValueType.DOUBLE)
      .build();
  private static final FeatureView CARD = FeatureView.builder("card", "payments")
      .aggregate("count", Aggregation.count(), Window.lifetime())
      .aggregate("amount_sum", Aggregation.sum("amount"), Window.lifetime())
      .build();
  private static final FeatureRepository REPOSITORY = FeatureRepository.builder()
      .entity(Entity.of("card", "card_id"))
      .source(PAYMENTS)
      .featureView(CARD)
      .featureService(FeatureService.of("scoring", "card:count", "card:amount_sum"))
      .build();

  private final ManualClock clock = new ManualClock(T0);
  private final MemoryOfflineStore offline = new MemoryOfflineStore(clock);
  private final MemoryOnlineStore store = new MemoryOnlineStore();
  private final MemoryEventLog log = new MemoryEventLog();

  /**
   * A log written before the door refused such times holds an event dated in the year 57 million
   * (a timestamp in nanoseconds) between two good ones: the appender moves it to the quarantine,
   * stores its neighbours, and the stream keeps taking pushes, before and after a restart, without
   * quarantining it twice.
   */
  @Test
  void aLoggedRecordTheOfflineTableCannotHoldIsQuarantinedAndTheStreamGoesOnAcrossARestart() {
    long t0 = T0.toEpochMilli();
    log.createStream("payments", 1);
    int fingerprint = EventRecords.fingerprint(PAYMENTS);
    int[] keys = EntityKeys.keyPositions(PAYMENTS);
    List<LogRecord> records = new ArrayList<>();
    long[][] logged = {{t0 - 3_000, 1}, {1_796_668_800_000_000_000L, 2}, {t0 - 2_000, 3}};
    for (long[] event : logged) {
      Object[] values = {"card-1", 10.0 * event[1]};
      records.add(new LogRecord(EntityKeys.ofEvent(PAYMENTS, keys, values).bytes(),
          EventRecords.encode(fingerprint, event[0], event[1], values, EventRecords.PUSHED), t0 - 1_000));
    }
    log.append("payments", records);

    try (OnlineRuntime runtime = runtime(clock)) {
      runtime.startStreaming();
      runtime.awaitApplied(Duration.ofSeconds(30));
      assertThat(runtime.flushOffline()).isEqualTo(2);
      assertThat(runtime.readiness(t0)).containsEntry("ready", true);
      assertThat(runtime.client().push("payments", List.of(payment("card-1", t0, 40.0))).accepted()).isEqualTo(1);
      clock.set(T0.plusMillis(1));
      runtime.awaitApplied(Duration.ofSeconds(30));
      // the poison event is beyond max_future too: the online state never counts it either
      assertThat(runtime.client().features(FeatureRequest.forService("scoring", Map.of("card_id", "card-1")))
          .value("card__amount_sum")).isEqualTo(80.0);
      runtime.flushOffline();
    }
    try (OnlineRuntime restarted = runtime(clock)) {
      restarted.startStreaming();
      assertThat(restarted.healthy()).isTrue();
      assertThat(restarted.client().push("payments", List.of(payment("card-1", t0, 50.0))).accepted()).isEqualTo(1);
      clock.set(T0.plusMillis(2));
      restarted.awaitApplied(Duration.ofSeconds(30));
      restarted.flushOffline();
      assertThat(restarted.readiness(t0)).containsEntry("ready", true);
    }
    assertThat(rows("payments")).extracting(row -> row.value(1)).containsExactlyInAnyOrder(10.0, 30.0, 40.0, 50.0);
    List<Row> quarantined = rows(Ingester.quarantineTable("payments"));
    assertThat(quarantined).hasSize(1);
    assertThat(quarantined.get(0).values()).containsSubsequence("log:payments", 1L);
    assertThat(quarantined.get(0).value(Ingester.QUARANTINE_SCHEMA.position("rule"))).isEqualTo("offline_store");
    assertThat((String) quarantined.get(0).value(Ingester.QUARANTINE_SCHEMA.position("reason")))
        .startsWith("Cannot accept row: its time is beyond what offline stores hold (event time 1796668800000000000");
    assertThat((String) quarantined.get(0).value(Ingester.QUARANTINE_SCHEMA.position("raw")))
        .isEqualTo("{\"ts\":1796668800000000000,\"card_id\":\"card-1\",\"amount\":20.0}");
  }

  /**
   * With the applier stalled, four clients push as fast as they can: once 2,000 acknowledged events
   * wait, pushes are refused with 503 and a retry delay, nothing of a refused push is kept, and
   * readiness says why. Released, the applier catches up: every acknowledged event is online and
   * offline exactly once, and pushes are taken again.
   */
  @Test
  void aPushFloodIsShedOnceTheBacklogIsFullAndEveryAcknowledgedEventIsAppliedOnce() throws Exception {
    long t0 = T0.toEpochMilli();
    AtomicLong accepted = new AtomicLong();
    AtomicLong shed = new AtomicLong();
    try (OnlineRuntime runtime = new OnlineRuntime(REPOSITORY, 1, store, log, offline, getClass().getClassLoader(),
        clock, null, new LimitsConfig(10_000, 100_000, 16L << 20, 64L << 20, 64, 256, 2_000, Duration.ofSeconds(10),
            Duration.ofSeconds(30)))) {
      runtime.startStreaming();
      store.holdWrites();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String card = "card-" + c;
        Thread client = new Thread(() -> {
          while (shed.get() < 20) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
              batch.add(payment(card, t0 - 1_000, 1.0));
            }
            try {
              accepted.addAndGet(runtime.client().push("payments", batch).accepted());
            } catch (ServiceUnavailableException e) {
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
              shed.incrementAndGet();
            }
          }
        });
        client.start();
        clients.add(client);
      }
      for (Thread client : clients) {
        client.join(60_000);
      }
      assertThat(shed.get()).isGreaterThanOrEqualTo(20);
      assertThat(accepted.get()).isBetween(2_000L, 2_000L + 4 * 100L);
      @SuppressWarnings("unchecked")
      Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) runtime.readiness(t0).get("sources"))
          .get("payments");
      assertThat(runtime.readiness(t0)).containsEntry("ready", false);
      assertThat(source).containsEntry("shedding", true).containsEntry("unapplied_events", accepted.get());
      assertThatThrownBy(() -> runtime.client().push("payments", List.of(payment("card-9", t0, 1.0))))
          .isInstanceOf(ServiceUnavailableException.class)
          .hasMessage("Cannot accept events of source 'payments': " + accepted.get() + " acknowledged events wait"
              + " to be applied, the limit is 2000 (nothing of this batch was accepted; send it again in a second)");

      store.releaseWrites();
      clock.set(T0.plusMillis(1));
      runtime.awaitApplied(Duration.ofSeconds(30));
      assertThat(runtime.readiness(t0)).containsEntry("ready", true);
      assertThat(runtime.client().push("payments", List.of(payment("card-9", t0 - 1, 1.0))).accepted()).isEqualTo(1);
      clock.set(T0.plusMillis(2));
      runtime.awaitApplied(Duration.ofSeconds(30));
      runtime.flushOffline();
      long online = 0;
      for (int c = 0; c < 4; c++) {
        online += (Long) runtime.client().features(FeatureRequest.forService("scoring", Map.of("card_id", "card-" + c)))
            .value("card__count");
      }
      assertThat(online).isEqualTo(accepted.get());
    }
    assertThat(rows("payments")).hasSize((int) accepted.get() + 1);
  }

  private List<Row> rows(String table) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> scan = offline.scan(table, ScanRequest.latest())) {
      scan.forEachRemaining(rows::add);
    }
    return rows;
  }

  private static Map<String, Object> payment(String card, long ts, double amount) {
    Map<String, Object> event = new HashMap<>();
    event.put("card_id", card);
    event.put("ts", ts);
    event.put("amount", amount);
    return event;
  }

  private OnlineRuntime runtime(Clock runtimeClock) {
    return new OnlineRuntime(REPOSITORY, 1, store, log, offline, getClass().getClassLoader(), runtimeClock);
  }
}
