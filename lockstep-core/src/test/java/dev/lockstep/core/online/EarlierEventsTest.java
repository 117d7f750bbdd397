package dev.lockstep.core.online;

import dev.lockstep.core.online.state.EntityKeys;
import dev.lockstep.core.online.state.EventRecords;

import dev.lockstep.testkit.fakes.MemoryEventLog;
import dev.lockstep.testkit.fakes.MemoryOfflineStore;
import dev.lockstep.testkit.fakes.MemoryOnlineStore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A source gains a column while events it accepted under the old columns still wait in the log: the
 * restarted runtime reads them (the new column null), applies them and stores them, instead of
 * skipping them as undecodable.
 */
class EarlierEventsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Source BEFORE = Source.builder("payments", SourceFormat.JSONL)
      .entity("card", "card_id").eventTime("ts")
      .column("card_id", ValueType.STRING).column("amount", ValueType.DOUBLE)
      .build();
  /** The column is added in the middle: values move by name, not by position. */
  private static final Source AFTER = Source.builder("payments", SourceFormat.JSONL)
      .entity("card", "card_id").eventTime("ts")
      .column("card_id", ValueType.STRING).column("channel", ValueType.STRING).column("amount", ValueType.DOUBLE)
      .build();
  private static final FeatureView CARD = FeatureView.builder("card", "payments")
      .aggregate("amount_sum", Aggregation.sum("amount"), Window.lifetime())
      .latest("last_channel", "channel", null)
      .build();
  private static final FeatureRepository REPOSITORY = FeatureRepository.builder()
      .entity(Entity.of("card", "card_id"))
      .source(AFTER)
      .featureView(CARD)
      .featureService(FeatureService.of("scoring", "card:amount_sum", "card:last_channel"))
      .build();

  @Test
  void eventsLoggedBeforeASourceGainedAColumnAreAppliedAndStoredWithItNull() {
    ManualClock clock = new ManualClock(T0);
    MemoryOfflineStore offline = new MemoryOfflineStore(clock);
    MemoryEventLog log = new MemoryEventLog();
    log.createStream("payments", 1);
    int[] keys = EntityKeys.keyPositions(BEFORE);
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Object[] values = {"card-1", 1.5 + i};
      records.add(new LogRecord(EntityKeys.ofEvent(BEFORE, keys, values).bytes(), EventRecords.encode(
          EventRecords.fingerprint(BEFORE), T0.toEpochMilli() - 5_000 + i, i + 1, values, EventRecords.PUSHED),
          T0.toEpochMilli() - 1_000));
    }
    log.append("payments", records);
    try (OnlineRuntime runtime = new OnlineRuntime(REPOSITORY, 2, new MemoryOnlineStore(), log, offline,
        getClass().getClassLoader(), clock)) {
      runtime.readEventsOf(List.of(BEFORE, AFTER));
      runtime.startStreaming();
      assertThat(runtime.client().push("payments", List.of(Map.of("card_id", "card-1", "ts", T0.toEpochMilli() - 500,
          "channel", "web", "amount", 10.0))).accepted()).isEqualTo(1);
      clock.set(T0.plusMillis(1));
      runtime.awaitApplied(Duration.ofSeconds(30));
      FeatureVector vector = runtime.client().features(FeatureRequest.forService("scoring", Map.of("card_id", "card-1")));
      assertThat(vector.value("card__amount_sum")).isEqualTo(1.5 + 2.5 + 3.5 + 10.0);
      assertThat(vector.value("card__last_channel")).isEqualTo("web");
      assertThat(runtime.metrics().sources().get("payments")).containsEntry("undecodable", 0L);
      assertThat(runtime.flushOffline()).isEqualTo(4);
    }
    List<List<Object>> stored = new ArrayList<>();
    try (CloseableIterator<Row> rows = offline.scan("payments", ScanRequest.latest())) {
      rows.forEachRemaining(row -> stored.add(row.values()));
    }
    assertThat(offline.schema("payments")).isEqualTo(Ingester.tableSchema(AFTER));
    assertThat(stored).containsExactlyInAnyOrder(nullChannel(1.5), nullChannel(2.5), nullChannel(3.5),
        java.util.Arrays.asList("card-1", "web", 10.0));
  }

  private static List<Object> nullChannel(double amount) {
    return java.util.Arrays.asList("card-1", null, amount);
  }
}
