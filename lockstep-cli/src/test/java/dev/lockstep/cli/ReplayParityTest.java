package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.parity.FeatureLogger;
import dev.lockstep.ops.parity.LoggedVector;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.ops.parity.Replay;
import dev.lockstep.ops.parity.ReplayReport;
import dev.lockstep.spi.CloseableIterator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity invariant end to end (docs/architecture.md, "Semantics"): the fraud example is ingested in batch, materialized
 * online, then fed random pushed events (late ones and ties included) while vectors are served and
 * logged; replaying the log offline in AS_OF_INGEST mode gives every served value back exactly. Two
 * negative controls show replay detects differences: an EVENT_TIME rebuild sees a late event the
 * served vector could not, and a tampered logged value is reported.
 */
class ReplayParityTest {
  private static final String SERVICE = "fraud_model";
  private static final int FEATURES = 6;

  @TempDir Path repo;

  @Test
  void servedVectorsReplayExactlyAndDifferencesAreDetected() throws Exception {
    copyFraudExample(repo);
    Instant now = Instant.now();
    Path data = repo.resolve("data");
    Cli.Result generated = Cli.run("generate-payments", "--events", "20000", "--seed", "11",
        "--start", now.minus(Duration.ofDays(2)).toString(), "--days", "2", "--out", data.toString());
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    List<String> cards = cards(data.resolve("payments.csv"));

    Random random = new Random(20260301);
    long served = 0;
    Map<String, Object> lateCard;
    Instant lateT;
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.ingest("payments", data.resolve("payments.csv"));
      OnlineRuntime online = lockstep.online();
      online.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET);
      online.startStreaming();
      FeatureClient client = online.client();
      try (FeatureLogger logger = FeatureLogger.start(lockstep, online, Set.of(SERVICE))) {
        List<String> hot = new ArrayList<>(cards.subList(0, 20));
        hot.add("card-new-1");
        hot.add("card-new-2");
        Map<String, Object> previous = null;
        for (int round = 0; round < 250; round++) {
          List<Map<String, Object>> events = new ArrayList<>();
          int size = 1 + random.nextInt(8);
          for (int i = 0; i < size; i++) {
            Map<String, Object> event = randomEvent(random, hot, previous);
            events.add(event);
            previous = event;
          }
          assertThat(client.push("payments", events).rejected()).isEmpty();
          int fetches = random.nextInt(3);
          for (int f = 0; f < fetches; f++) {
            if (random.nextBoolean()) {
              client.features(FeatureRequest.forService(SERVICE, entity(pick(random, hot))));
              served++;
            } else {
              List<Map<String, Object>> entities = new ArrayList<>();
              int batch = 1 + random.nextInt(5);
              for (int e = 0; e < batch; e++) {
                entities.add(entity(random.nextInt(4) == 0 ? pick(random, cards) : pick(random, hot)));
              }
              client.features(BatchFeatureRequest.forService(SERVICE, entities));
              served += batch;
            }
          }
          if (round % 50 == 0) {
            online.awaitApplied(Duration.ofSeconds(30));
          }
        }
        // a vector served just before a late event of its card arrives: AS_OF_INGEST must not see
        // the event, EVENT_TIME does
        lateCard = entity(hot.get(0));
        online.awaitApplied(Duration.ofSeconds(30));
        FeatureVector beforeLate = client.features(FeatureRequest.forService(SERVICE, lateCard));
        served++;
        lateT = beforeLate.t();
        Map<String, Object> late = new HashMap<>(lateCard);
        late.put("ts", lateT.minusSeconds(30).toEpochMilli());
        late.put("amount", 77.25);
        late.put("merchant", "merchant-late");
        late.put("items", 1L);
        assertThat(client.push("payments", List.of(late)).accepted()).isEqualTo(1);
        online.awaitApplied(Duration.ofSeconds(30));
        logger.flush();
        assertThat(logger.dropped()).isZero();
        assertThat(logger.logged()).isEqualTo(served);
      }
      online.flushOffline();

      ReplayReport report = Replay.replay(lockstep, SERVICE, Optional.empty(), Optional.empty());
      assertThat(report.examples()).as("mismatches").isEmpty();
      assertThat(report.mismatches()).isZero();
      assertThat(report.vectors()).isEqualTo(served);
      assertThat(report.values()).isEqualTo(served * FEATURES);
      assertThat(report.registryVersions()).containsExactly(1L);
      // the vectors are not trivial: most cards have recent transactions and amounts
      long counted = 0;
      long averaged = 0;
      try (CloseableIterator<LoggedVector> logged =
          FeatureLogger.read(lockstep.offlineStore(), SERVICE, Optional.empty(), Optional.empty())) {
        while (logged.hasNext()) {
          FeatureVector vector = logged.next().vector();
          counted += (Long) vector.value("card_txn__txn_count_5m") > 0 ? 1 : 0;
          averaged += vector.value("card_txn__amount_mean_1h") != null ? 1 : 0;
        }
      }
      assertThat(counted).isGreaterThan(served / 4);
      assertThat(averaged).isGreaterThan(served / 4);

      ReplayReport eventTime = Replay.replay(lockstep, SERVICE, Optional.of(lateT), Optional.of(lateT.plusMillis(1)),
          PointInTimeMode.EVENT_TIME);
      assertThat(eventTime.mismatches()).isPositive();
      assertThat(eventTime.examples())
          .anySatisfy(mismatch -> {
            assertThat(mismatch.entity()).isEqualTo(lateCard);
            assertThat(mismatch.feature()).isEqualTo("card_txn__txn_count_5m");
            assertThat((Long) mismatch.rebuilt()).isEqualTo((Long) mismatch.served() + 1);
          });
    }

    // the command flushes the online runtime itself, then replays
    Cli.Result clean = Cli.run("-C", repo.toString(), "replay", "--service", SERVICE);
    assertThat(clean.exitCode()).as(clean.err()).isZero();
    assertThat(clean.out()).isEqualTo(String.format("replay %s: %,d vectors, %,d feature values, 0 mismatches%n"
        + "  on-demand features compared: card_ratios__spend_ratio_7d_30d%n", SERVICE, served, served * FEATURES));

    // tamper: log a served vector again with one value changed
    try (Lockstep lockstep = Lockstep.open(repo)) {
      LoggedVector original = null;
      try (CloseableIterator<LoggedVector> logged =
          FeatureLogger.read(lockstep.offlineStore(), SERVICE, Optional.of(lateT), Optional.of(lateT.plusMillis(1)))) {
        while (original == null || !original.vector().entity().equals(lateCard)) {
          original = logged.next();
        }
      }
      Map<String, Object> values = new LinkedHashMap<>(original.vector().values());
      Double mean = (Double) values.get("card_txn__amount_mean_1h");
      values.put("card_txn__amount_mean_1h", mean == null ? 0.1 : Math.nextUp(mean));
      FeatureVector tampered = new FeatureVector(original.vector().entity(), original.vector().t(), values,
          original.vector().statuses());
      try (FeatureLogger logger = FeatureLogger.start(lockstep.offlineStore(), 1, Set.of(SERVICE))) {
        logger.accept(SERVICE, List.of(tampered));
      }
    }
    Cli.Result detected = Cli.run("-C", repo.toString(), "replay", "--service", SERVICE);
    assertThat(detected.exitCode()).isEqualTo(1);
    assertThat(detected.out()).startsWith(String.format("replay %s: %,d vectors, %,d feature values, 1 mismatches%n",
        SERVICE, served + 1, (served + 1) * FEATURES));
    assertThat(detected.out()).contains("card_id=" + lateCard.get("card_id") + " at " + lateT
        + " card_txn__amount_mean_1h: served ");
  }

  @Test
  void replayRefusesWhileTheOnlineStoreIsHeldAndWithoutALog() throws Exception {
    copyFraudExample(repo);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      Cli.Result nothing = Cli.run("-C", repo.toString(), "replay", "--service", SERVICE);
      assertThat(nothing.exitCode()).isEqualTo(1);
      assertThat(nothing.err()).isEqualTo("lockstep: Cannot replay service 'fraud_model': nothing was logged for it"
          + " (serve it with lockstep serve --log-features fraud_model)" + System.lineSeparator());

      lockstep.online();
      Cli.Result held = Cli.run("-C", repo.toString(), "replay", "--service", SERVICE);
      assertThat(held.exitCode()).isEqualTo(1);
      assertThat(held.err()).startsWith("lockstep: Cannot replay service 'fraud_model': cannot open the online runtime")
          .contains("stop lockstep serve first, then run lockstep replay again");
    }
  }

  private static Map<String, Object> randomEvent(Random random, List<String> cards, Map<String, Object> previous) {
    Map<String, Object> event = new HashMap<>();
    long now = System.currentTimeMillis();
    int kind = random.nextInt(10);
    if (kind == 0 && previous != null) {
      // a tie: same card and event time as the event before
      event.put("card_id", previous.get("card_id"));
      event.put("ts", previous.get("ts"));
    } else {
      event.put("card_id", pick(random, cards));
      long delay = switch (kind) {
        case 1 -> 60_000L + random.nextInt(3_600_000); // late by up to an hour
        case 2 -> 3_600_000L + (long) random.nextInt(86_400_000) * 3; // late by hours to days
        default -> random.nextInt(2_000);
      };
      event.put("ts", random.nextBoolean() ? (Object) (now - delay) : Instant.ofEpochMilli(now - delay).toString());
    }
    int amount = random.nextInt(10);
    event.put("amount", amount == 0 ? null : amount == 1 ? 0.1 + random.nextInt(3) * 0.2 : random.nextInt(50_000) / 100.0);
    event.put("merchant", random.nextInt(12) == 0 ? null : "merchant-" + random.nextInt(40));
    event.put("items", (long) (1 + random.nextInt(5)));
    return event;
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static Map<String, Object> entity(String card) {
    return Map.of("card_id", card);
  }

  static List<String> cards(Path payments) throws IOException {
    try (Stream<String> lines = Files.lines(payments)) {
      return lines.skip(1).map(line -> line.substring(0, line.indexOf(','))).distinct().sorted().toList();
    }
  }

  static void copyFraudExample(Path target) throws IOException {
    Path directory = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(directory.resolve("examples/fraud"))) {
      directory = directory.getParent();
    }
    try (Stream<Path> files = Files.list(directory.resolve("examples/fraud"))) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
  }
}
