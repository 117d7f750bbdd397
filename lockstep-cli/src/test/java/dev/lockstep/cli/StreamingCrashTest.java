package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/streaming.md: a kill -9 at any instant loses no acknowledged event and double-counts none. A child
 * JVM streams batches of uniquely identified events and is killed with SIGKILL at random points,
 * many times; after the last restart every acknowledged event is in the offline table exactly once,
 * no event is there twice, and each entity's online lifetime count equals its offline row count.
 * {@link DistributedStreamingCrashTest} runs the same on Kafka, Redis and PostgreSQL, with a Kafka
 * feed besides the pushes.
 */
class StreamingCrashTest {
  static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: events
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, id: string}
      feature_views:
        - name: totals
          source: events
          features:
            - {name: events_ever, aggregation: count, window: lifetime}
            - {name: ids_ever, aggregation: count_non_null, column: id, window: lifetime}
      feature_services:
        - {name: totals, features: [totals:events_ever, totals:ids_ever]}
      """;
  private static final int BATCH = 40;

  @TempDir Path repo;

  /** How many times the child is killed. */
  protected int rounds() {
    return 8;
  }

  /** Writes the project's lockstep.yaml, if any, before anything is applied. */
  protected void configure(Path repo) throws Exception {}

  /** Called before each round: a subclass may feed events from outside meanwhile. */
  protected void beforeRound(int round) throws Exception {}

  /** Event ids that must be offline exactly once besides the pushed batches. */
  protected Set<String> fedIds() {
    return Set.of();
  }

  /** How long the child runs before it is killed. */
  protected long killDelayMillis(Random random) {
    return 150 + random.nextInt(900);
  }

  /** Further checks on the restarted project, after the common ones. */
  protected void verify(Lockstep lockstep) {}

  @Test
  void everyAcknowledgedEventCountsExactlyOnceAfterRepeatedKills() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    configure(repo);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
    }
    Random random = new Random(20261121);
    Set<String> acknowledged = new HashSet<>();
    for (int round = 0; round < rounds(); round++) {
      beforeRound(round);
      acknowledged.addAll(runAndKill("r" + round, killDelayMillis(random)));
    }
    assertThat(acknowledged).hasSizeGreaterThan(rounds());

    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.online().startStreaming();
      lockstep.followStreams();
      awaitOffline(lockstep);
      lockstep.online().awaitApplied(Duration.ofSeconds(60));
      lockstep.online().flushOffline();

      Map<String, Integer> idCounts = new HashMap<>();
      Map<String, Long> perCard = new HashMap<>();
      try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("events", ScanRequest.latest())) {
        while (rows.hasNext()) {
          Row row = rows.next();
          idCounts.merge((String) row.value(1), 1, Integer::sum);
          perCard.merge((String) row.value(0), 1L, Long::sum);
        }
      }
      assertThat(idCounts.values()).as("no event twice offline").allMatch(count -> count == 1);
      Set<String> batchesPresent = new HashSet<>();
      for (String id : idCounts.keySet()) {
        batchesPresent.add(id.substring(0, id.lastIndexOf('-')));
      }
      assertThat(batchesPresent).as("every acknowledged batch offline").containsAll(acknowledged);
      for (String batch : acknowledged) {
        for (int i = 0; i < BATCH; i++) {
          assertThat(idCounts).as("acknowledged event offline").containsKey(batch + "-" + i);
        }
      }
      assertThat(idCounts.keySet()).as("every fed event offline").containsAll(fedIds());

      List<Map<String, Object>> cards = new ArrayList<>();
      perCard.keySet().forEach(card -> cards.add(Map.of("card_id", card)));
      List<FeatureVector> vectors = lockstep.online().client().features(BatchFeatureRequest.forService("totals", cards));
      for (FeatureVector vector : vectors) {
        String card = (String) vector.entity().get("card_id");
        assertThat(vector.value("totals__events_ever")).as("online count of " + card).isEqualTo(perCard.get(card));
        assertThat(vector.value("totals__ids_ever")).isEqualTo(perCard.get(card));
      }
      verify(lockstep);
    }
  }

  /** Waits until the offline table holds every fed event (the feed is followed in the background). */
  private void awaitOffline(Lockstep lockstep) throws InterruptedException {
    if (fedIds().isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      lockstep.online().awaitApplied(Duration.ofSeconds(60));
      lockstep.online().flushOffline();
      Set<String> ids = new HashSet<>();
      try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("events", ScanRequest.latest())) {
        rows.forEachRemaining(row -> ids.add((String) row.value(1)));
      }
      if (ids.containsAll(fedIds()) || System.nanoTime() > deadline) {
        return;
      }
      Thread.sleep(200);
    }
  }

  /** Runs the child until it has acknowledged something, kills it after {@code millis}, returns its ACKs. */
  private Set<String> runAndKill(String run, long millis) throws Exception {
    Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(javaBinary.toString(), "-Xmx256m",
        // a killed child's writer lease (Redis) lapses in 3 s rather than 15, so the next one starts soon
        "-Dlockstep.writer-lease-seconds=3", "-cp", System.getProperty("java.class.path"),
        StreamingCrashChild.class.getName(), repo.toString(), run, Integer.toString(BATCH))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    Set<String> acks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.equals("READY")) {
            ready.countDown();
          } else if (line.startsWith("ACK ")) {
            acks.add(line.substring(4));
          }
        }
      } catch (java.io.IOException ignored) {
        // the child died
      }
    });
    reader.start();
    assertThat(ready.await(180, TimeUnit.SECONDS)).as("child started").isTrue();
    Thread.sleep(millis);
    child.destroyForcibly();
    child.waitFor(30, TimeUnit.SECONDS);
    reader.join(10_000);
    return acks;
  }
}
