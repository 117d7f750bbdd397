package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.parity.FeatureLogger;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.ops.parity.ParityCheck;
import dev.lockstep.ops.parity.ParityChecks;
import dev.lockstep.ops.parity.ParityMonitor;
import dev.lockstep.ops.parity.ParitySummary;
import dev.lockstep.ops.parity.ReplayReport;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous parity monitoring on the fraud example with real embedded stores (RocksDB, the local
 * event log, Iceberg): the monitor checks what is served and logged, interval after interval, each
 * vector once, across restarts; a tampered logged vector gives an exact mismatch rate; a failing
 * check does not stop it.
 */
class ParityMonitorTest {
  private static final String SERVICE = "fraud_model";
  private static final int FEATURES = 6;
  private static final Duration INTERVAL = Duration.ofMillis(20);

  @TempDir Path repo;
  private Lockstep lockstep;
  private OnlineRuntime online;
  private FeatureClient client;
  private FeatureLogger logger;
  private int pushed;

  @BeforeEach
  void serve() throws Exception {
    ReplayParityTest.copyFraudExample(repo);
    lockstep = Lockstep.open(repo);
    lockstep.apply(lockstep.plan());
    online = lockstep.online();
    online.startStreaming();
    client = online.client();
    logger = FeatureLogger.start(lockstep, online, Set.of(SERVICE));
  }

  @AfterEach
  void stop() {
    if (lockstep != null) {
      logger.close();
      lockstep.close();
    }
  }

  @Test
  void checksEachLoggedVectorOnceAcrossIntervalsAndRestarts() {
    ParityMonitor monitor = ParityMonitor.start(lockstep, online, logger, Set.of(SERVICE), INTERVAL);
    serveRound(5, 3);
    awaitChecked(monitor, 8);
    serveRound(2, 2);
    awaitChecked(monitor, 12);
    ParitySummary summary = monitor.summaries().get(SERVICE);
    assertThat(summary.allTime().values()).isEqualTo(12 * FEATURES);
    assertThat(summary.allTime().mismatchedVectors()).isZero();
    assertThat(summary.allTime().mismatchRate()).hasValue(0.0);
    assertThat(summary.recent()).isEqualTo(summary.allTime());
    assertThat(summary.lastMismatch()).isEmpty();
    long runs = monitor.runs();
    monitor.close();
    assertThat(monitor.failures()).isZero();

    List<ParityCheck> beforeRestart = ParityChecks.read(lockstep.offlineStore(), Optional.empty(), Optional.empty());
    assertThat(beforeRestart.size()).isGreaterThanOrEqualTo(2).isEqualTo(summary.allTime().checks());
    assertContiguous(beforeRestart, 12);
    assertThat(monitor.runs()).isEqualTo(runs).isGreaterThanOrEqualTo(beforeRestart.size());

    // vectors served while no monitor runs are checked by the next one, and only those
    serveRound(3, 0);
    ParityMonitor restarted = ParityMonitor.start(lockstep, online, logger, Set.of(SERVICE), INTERVAL);
    try {
      awaitChecked(restarted, 15);
      awaitRuns(restarted, restarted.runs() + 3);
      List<ParityCheck> checks = ParityChecks.read(lockstep.offlineStore(), Optional.empty(), Optional.empty());
      assertContiguous(checks, 15);
      assertThat(checks.subList(0, beforeRestart.size())).isEqualTo(beforeRestart);
      assertThat(checks.get(checks.size() - 1).extent().orElseThrow().firstSequence()).isEqualTo(13);
      ParitySummary resumed = restarted.summaries().get(SERVICE);
      assertThat(resumed.allTime().checks()).isEqualTo(checks.size());
      assertThat(resumed.allTime().vectors()).isEqualTo(15);
      assertThat(resumed.lastCheckedAt()).contains(checks.get(checks.size() - 1).checkedAt());
      assertThat(ParityChecks.summarize(lockstep.offlineStore(), Instant.now(), ParityMonitor.WINDOW))
          .containsOnlyKeys(SERVICE)
          .containsEntry(SERVICE, resumed);
    } finally {
      restarted.close();
    }
  }

  @Test
  void aTamperedVectorGivesAnExactMismatchRateAndReplayRecordsItsCheck() {
    ParityMonitor monitor = ParityMonitor.start(lockstep, online, logger, Set.of(SERVICE), INTERVAL);
    List<FeatureVector> served = serveRound(6, 4);
    FeatureVector original = served.get(0);
    Map<String, Object> values = new LinkedHashMap<>(original.values());
    long count = (Long) values.get("card_txn__txn_count_5m");
    values.put("card_txn__txn_count_5m", count + 1);
    logger.accept(SERVICE, List.of(new FeatureVector(original.entity(), original.t(), values, original.statuses())));
    awaitChecked(monitor, 11);
    monitor.close();

    ParitySummary summary = monitor.summaries().get(SERVICE);
    assertThat(summary.allTime().mismatchedVectors()).isEqualTo(1);
    assertThat(summary.allTime().mismatchedValues()).isEqualTo(1);
    assertThat(summary.allTime().values()).isEqualTo(11 * FEATURES);
    assertThat(summary.allTime().mismatchRate()).hasValue(1.0 / 11);
    assertThat(summary.recent().mismatchRate()).hasValue(1.0 / 11);
    String mismatch = "card_id=" + original.entity().get("card_id") + " at " + original.t()
        + " card_txn__txn_count_5m: served " + (count + 1) + ", rebuilt " + count;
    assertThat(summary.lastMismatch()).contains(mismatch);
    assertThat(summary.lastMismatchAt()).isPresent();
    Map<String, Object> allTime = new LinkedHashMap<>();
    allTime.put("checks", summary.allTime().checks());
    allTime.put("vectors_checked", 11L);
    allTime.put("values_compared", 66L);
    allTime.put("mismatched_vectors", 1L);
    allTime.put("mismatched_values", 1L);
    allTime.put("mismatch_rate", 1.0 / 11);
    assertThat(summary.toMap())
        .containsEntry("service", SERVICE)
        .containsEntry("window_seconds", 86_400L)
        .containsEntry("all_time", allTime)
        .containsEntry("last_mismatch", mismatch)
        .containsEntry("last_replay", null);
    assertThat(monitor.toMap()).containsEntry("failures", 0L).containsEntry("last_failure", null)
        .containsEntry("services", Map.of(SERVICE, summary.toMap()));

    logger.close();
    lockstep.close();
    lockstep = null;
    Cli.Result replay = Cli.run("-C", repo.toString(), "replay", "--service", SERVICE);
    assertThat(replay.exitCode()).as(replay.err()).isEqualTo(1);
    assertThat(replay.out()).contains("  " + mismatch + System.lineSeparator());
    try (Lockstep reopened = Lockstep.open(repo)) {
      List<ParityCheck> checks = ParityChecks.read(reopened.offlineStore(), Optional.empty(), Optional.empty());
      ParityCheck replayed = checks.get(checks.size() - 1);
      assertThat(replayed.checkedBy()).isEqualTo(ParityChecks.BY_REPLAY);
      assertThat(replayed.vectors()).isEqualTo(11);
      assertThat(replayed.values()).isEqualTo(66);
      assertThat(replayed.mismatchedVectors()).isEqualTo(1);
      assertThat(replayed.mismatchedValues()).isEqualTo(1);
      assertThat(replayed.firstMismatch()).contains(mismatch);
      assertThat(replayed.registryVersions()).containsExactly(1L);
      assertThat(replayed.extent().orElseThrow().firstSequence()).isEqualTo(1);
      assertThat(replayed.extent().orElseThrow().lastSequence()).isEqualTo(11);
      // replay's re-check is shown apart, not counted in the monitor's totals
      ParitySummary after = ParityChecks.summarize(reopened.offlineStore(), Instant.now(), ParityMonitor.WINDOW)
          .get(SERVICE);
      assertThat(after.allTime()).isEqualTo(summary.allTime());
      assertThat(after.lastReplay()).contains(replayed);
    }
  }

  @Test
  void aFailingCheckIsCountedAndRetriedWithoutStoppingTheMonitor() {
    // a table of the same name but other columns makes every check fail until it is dropped
    Schema other = Schema.of(Column.required("service", ValueType.STRING));
    lockstep.offlineStore().createTable(ParityChecks.TABLE, other);
    ParityMonitor monitor = ParityMonitor.start(lockstep, online, logger, Set.of(SERVICE), INTERVAL);
    try {
      serveRound(4, 0);
      await(() -> monitor.failures() >= 3, "three failed checks");
      assertThat(monitor.lastFailure()).get().asString()
          .startsWith("Cannot check parity: Cannot read the parity checks: table 'lockstep__parity_checks' holds");
      assertThat(monitor.summaries().get(SERVICE).allTime().checks()).isZero();

      lockstep.offlineStore().dropTable(ParityChecks.TABLE);
      awaitChecked(monitor, 4);
      long failures = monitor.failures();
      serveRound(1, 2);
      awaitChecked(monitor, 7);
      assertThat(monitor.failures()).isEqualTo(failures);
      assertContiguous(ParityChecks.read(lockstep.offlineStore(), Optional.empty(), Optional.empty()), 7);
    } finally {
      monitor.close();
    }
  }

  @Test
  void closesPromptlyAndRefusesServicesNotLogged() {
    assertThat(ParityMonitor.INTERVAL_DEFAULT).isEqualTo(Duration.ofSeconds(60));
    assertThat(ParityMonitor.WINDOW).isEqualTo(Duration.ofHours(24));
    ParityMonitor idle = ParityMonitor.start(lockstep, online, logger, Set.of(SERVICE), Duration.ofHours(1));
    long start = System.nanoTime();
    idle.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(idle.runs()).isZero();
    assertThat(idle.summaries()).containsExactly(Map.entry(SERVICE, ParitySummary.empty(SERVICE, ParityMonitor.WINDOW)));
    assertThat(idle.summaries().get(SERVICE).toMap().get("all_time"))
        .isEqualTo(ParitySummary.Totals.ZERO.toMap())
        .extracting(totals -> ((Map<?, ?>) totals).get("mismatch_rate")).isNull();

    assertThatThrownBy(() -> ParityMonitor.start(lockstep, online, logger, Set.of("other_model"), INTERVAL))
        .isInstanceOf(LockstepException.class)
        .hasMessage("Cannot monitor the parity of service 'other_model': its vectors are not logged (logged:"
            + " [fraud_model]; add it to --log-features)");
    assertThatThrownBy(() -> ParityMonitor.start(lockstep, online, logger, Set.of(SERVICE), Duration.ZERO))
        .isInstanceOf(LockstepException.class)
        .hasMessage("Cannot monitor parity every PT0S: the interval must be positive");
  }

  /** Pushes a few events, then serves {@code singles} single requests and a batch of {@code batch}. */
  private List<FeatureVector> serveRound(int singles, int batch) {
    List<Map<String, Object>> events = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 6; i++) {
      Map<String, Object> event = new HashMap<>();
      event.put("card_id", "card-" + (pushed % 4));
      event.put("ts", now - 1_000 * (pushed % 5));
      event.put("amount", 10.0 + pushed * 0.1);
      event.put("merchant", "merchant-" + pushed % 3);
      event.put("items", 1L);
      events.add(event);
      pushed++;
    }
    assertThat(client.push("payments", events).rejected()).isEmpty();
    online.awaitApplied(Duration.ofSeconds(30));
    List<FeatureVector> served = new ArrayList<>();
    for (int i = 0; i < singles; i++) {
      served.add(client.features(FeatureRequest.forService(SERVICE, Map.of("card_id", "card-" + i % 5))));
    }
    if (batch > 0) {
      List<Map<String, Object>> entities = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        entities.add(Map.of("card_id", "card-" + i % 5));
      }
      served.addAll(client.features(BatchFeatureRequest.forService(SERVICE, entities)));
    }
    return served;
  }

  /** Every vector 1..{@code vectors} was checked exactly once, by the monitor, in sequence order. */
  private static void assertContiguous(List<ParityCheck> checks, long vectors) {
    long next = 1;
    for (ParityCheck check : checks) {
      assertThat(check.checkedBy()).isEqualTo(ParityChecks.BY_SERVE);
      assertThat(check.service()).isEqualTo(SERVICE);
      ReplayReport.Extent extent = check.extent().orElseThrow();
      assertThat(extent.firstSequence()).isEqualTo(next);
      assertThat(extent.lastSequence() - extent.firstSequence() + 1).isEqualTo(check.vectors());
      assertThat(check.values()).isEqualTo(check.vectors() * FEATURES);
      assertThat(check.registryVersions()).containsExactly(1L);
      assertThat(extent.firstT()).isBeforeOrEqualTo(extent.lastT());
      next = extent.lastSequence() + 1;
    }
    assertThat(next - 1).isEqualTo(vectors);
  }

  private static void awaitChecked(ParityMonitor monitor, long vectors) {
    await(() -> monitor.summaries().get(SERVICE).allTime().vectors() >= vectors, vectors + " vectors checked");
    assertThat(monitor.summaries().get(SERVICE).allTime().vectors()).isEqualTo(vectors);
  }

  private static void awaitRuns(ParityMonitor monitor, long runs) {
    await(() -> monitor.runs() >= runs, runs + " runs");
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
