package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
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
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka feed under a data contract with a circuit breaker: the breaker trips on a burst of bad
 * records, the feed pauses at its position while it is open, and after {@code lockstep breaker
 * reset} every good record is served and stored offline exactly once, checked against a naive
 * oracle of the seeded records.
 *
 * <p>Bad records are produced in small chunks, each judged before the next is produced, so the batch
 * that trips the breaker (which is not acknowledged and is read again after the reset) holds at most
 * one chunk: read again into an empty window it cannot reach {@code min_rows} and trip once more.
 */
class KafkaFeedBreakerTest {
  static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, id: string, amount: double}
      feature_views:
        - name: card_life
          source: payments
          features:
            - {name: txn_count, aggregation: count, window: lifetime}
            - {name: amount_sum, aggregation: sum, column: amount, window: lifetime}
      feature_services:
        - name: scoring
          features: [card_life:txn_count, card_life:amount_sum]
      """;
  // before the burst the window holds GOOD_FIRST good rows; each chunk adds 4 bad and 1 good: the
  // rate first reaches 30% with 40+ rows in the 4th chunk (16 of 50), never in the first 3 (12 of 45)
  static final String CONTRACT = """
      contracts:
        - source: payments
          rules:
            - range: {column: amount, min: 0}
          circuit_breaker: {max_failure_rate: 0.3, interval: 10m, min_rows: 40}
      """;
  private static final int GOOD_FIRST = 30;
  private static final int BAD_PER_CHUNK = 4;
  private static final int GOOD_WHILE_OPEN = 60;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path repo;
  private final String namespace = Distributed.namespace();
  private final String topic = namespace + "-payments";
  private final Random random = new Random(20260611);
  private final long now = System.currentTimeMillis();
  /** The oracle: every good record produced, by id, and the bad ones by offset. */
  private final Map<String, Good> good = new HashMap<>();
  private final Map<Long, String> bad = new TreeMap<>();
  /** Records produced so far: on the topic's single partition, the offset of the next one. */
  private long produced;

  private record Good(String card, long amount) {}

  @Test
  void theBreakerTripsOnABurstPausesTheFeedAndAfterAResetEveryGoodRecordIsServedExactlyOnce() throws Exception {
    Distributed.createTopic(topic, 1);
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Files.writeString(repo.resolve("contracts.yaml"), CONTRACT);
    Distributed.writeConfig(repo, namespace, """
        streams:
          payments: {backend: kafka, topic: %s, bootstrap.servers: '%s'}
        """.formatted(topic, Distributed.kafka()));
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
    }
    try (Lockstep lockstep = Lockstep.open(repo)) {
      var online = lockstep.online();
      online.startStreaming();
      assertThat(lockstep.followStreams()).containsExactly("payments");

      List<String> first = new ArrayList<>();
      for (int i = 0; i < GOOD_FIRST; i++) {
        first.add(good());
      }
      produce(first);
      await(lockstep, () -> counter(lockstep, "accepted") == GOOD_FIRST, "the first good records accepted");
      online.awaitApplied(WAIT);
      assertServed(lockstep);

      // the burst, a chunk at a time, each judged (and what it accepted applied) before the next
      int chunks = 0;
      while (!lockstep.breakers().state("payments").open()) {
        assertThat(chunks).as("chunks produced without tripping the breaker").isLessThan(6);
        List<String> chunk = new ArrayList<>();
        int goodAt = random.nextInt(BAD_PER_CHUNK + 1);
        for (int i = 0; i <= BAD_PER_CHUNK; i++) {
          chunk.add(i == goodAt ? good() : bad());
        }
        produce(chunk);
        chunks++;
        long judged = produced;
        await(lockstep, () -> counter(lockstep, "judged") >= judged || lockstep.breakers().state("payments").open(),
            "chunk " + chunks + " judged");
        if (!lockstep.breakers().state("payments").open()) {
          online.awaitApplied(WAIT);
        }
      }
      assertThat(chunks).isEqualTo(4);
      assertThat(lockstep.breakers().state("payments").reason())
          .matches("1[56] of (48|49|50) rows failed the contract in the last 10m \\(3\\d\\.\\d%, at most 30\\.0% allowed\\)");

      // every bad record is quarantined, from the feed, with its rule and its Kafka position
      List<Row> quarantined = QualityGateTest.quarantine(lockstep, "payments");
      assertThat(quarantined).extracting(row -> row.value(Quarantine.ORIGIN)).containsOnly("feed");
      assertThat(quarantined).extracting(row -> row.value(Quarantine.RULE)).containsOnly("range(amount)");
      assertThat(quarantined).allSatisfy(row -> {
        long offset = (Long) row.value(Quarantine.ROW);
        assertThat(row.value(Quarantine.POSITION)).isEqualTo("kafka topic " + topic + ", partition 0, offset " + offset);
        assertThat(row.value(Quarantine.RAW)).isEqualTo(bad.get(offset));
        assertThat((String) row.value(Quarantine.REASON)).matches("column 'amount': -\\d+\\.0 is below the minimum 0");
      });
      // once each, in order; the batch that tripped it may have been a part of the last chunk
      List<Long> badOffsets = List.copyOf(bad.keySet());
      assertThat(quarantined).hasSizeGreaterThanOrEqualTo(bad.size() - BAD_PER_CHUNK + 3)
          .extracting(row -> (Long) row.value(Quarantine.ROW))
          .containsExactlyElementsOf(badOffsets.subList(0, quarantined.size()));

      // while the breaker is open, good records wait in the topic: not judged, accepted nor applied
      Thread.sleep(200); // lets an apply already under way when the breaker opened finish
      long judged = counter(lockstep, "judged");
      long accepted = counter(lockstep, "accepted");
      Map<String, Object> served = served(lockstep);
      List<String> whileOpen = new ArrayList<>();
      for (int i = 0; i < GOOD_WHILE_OPEN; i++) {
        whileOpen.add(good());
      }
      produce(whileOpen);
      long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
      while (System.nanoTime() < until) {
        assertThat(counter(lockstep, "judged")).as("judged while open").isEqualTo(judged);
        assertThat(counter(lockstep, "accepted")).as("accepted while open").isEqualTo(accepted);
        Thread.sleep(100);
      }
      assertThat(served(lockstep)).as("served while open").isEqualTo(served);
      assertThat(lockstep.breakers().state("payments").open()).isTrue();

      // a reset from another command: the runtime reads it from the breaker table within a second
      Cli.Result reset = Cli.run("-C", repo.toString(), "breaker", "reset", "payments");
      assertThat(reset.exitCode()).as(reset.err()).isZero();
      assertThat(reset.out()).startsWith("Circuit breaker of payments reset: it was open since ");
      await(lockstep, () -> counter(lockstep, "accepted") >= good.size(), "every good record accepted after the reset");
      online.awaitApplied(WAIT);
      online.flushOffline();
      assertThat(counter(lockstep, "accepted")).isEqualTo(good.size());
      assertThat(lockstep.breakers().state("payments").open()).isFalse();
      assertServed(lockstep);

      Map<String, Integer> offline = new HashMap<>();
      try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("payments", ScanRequest.latest())) {
        rows.forEachRemaining(row -> offline.merge((String) row.value(1), 1, Integer::sum));
      }
      assertThat(offline.keySet()).isEqualTo(good.keySet());
      assertThat(offline).allSatisfy((id, count) -> assertThat(count).as(id).isOne());

      // the bad records of the batch that tripped the breaker were read again: quarantined at least once
      Set<Long> positions = new HashSet<>();
      QualityGateTest.quarantine(lockstep, "payments").forEach(row -> positions.add((Long) row.value(Quarantine.ROW)));
      assertThat(positions).isEqualTo(bad.keySet());
      assertThat(QualityGateTest.quarantine(lockstep, "payments")).hasSizeBetween(bad.size(), bad.size() + BAD_PER_CHUNK);
    }
  }

  /** A good record for the oracle, to be produced next. */
  private String good() {
    String id = "g" + good.size();
    Good record = new Good("k" + random.nextInt(7), 1 + random.nextInt(500));
    good.put(id, record);
    produced++;
    return json(id, record.card(), record.amount());
  }

  /** A record failing range(amount), to be produced next, at the offset it will have. */
  private String bad() {
    String text = json("b" + bad.size(), "k" + random.nextInt(7), -1 - random.nextInt(100));
    bad.put(produced++, text);
    return text;
  }

  private String json(String id, String card, long amount) {
    return "{\"card_id\": \"" + card + "\", \"ts\": " + (now - random.nextInt(100_000)) + ", \"id\": \"" + id
        + "\", \"amount\": " + amount + ".0}";
  }

  /** Produces {@code values}, made in order by good() and bad(), to the topic's single partition. */
  private void produce(List<String> values) {
    Distributed.produce(topic, values);
  }

  /** Every card's count and amount sum online equal the oracle's over the good records produced. */
  private void assertServed(Lockstep lockstep) {
    Map<String, Long> counts = new TreeMap<>();
    Map<String, Double> sums = new TreeMap<>();
    good.values().forEach(record -> {
      counts.merge(record.card(), 1L, Long::sum);
      sums.merge(record.card(), (double) record.amount(), Double::sum);
    });
    Map<String, Object> served = served(lockstep);
    Map<String, Object> expected = new TreeMap<>();
    counts.forEach((card, count) -> expected.put(card, List.of(count, sums.get(card))));
    assertThat(served).isEqualTo(expected);
  }

  /** Per card of the oracle, its served [txn_count, amount_sum]; cards with no event are left out. */
  private Map<String, Object> served(Lockstep lockstep) {
    List<Map<String, Object>> cards = new ArrayList<>();
    for (int card = 0; card < 7; card++) {
      cards.add(Map.of("card_id", "k" + card));
    }
    Map<String, Object> served = new TreeMap<>();
    for (FeatureVector vector : lockstep.online().client().features(BatchFeatureRequest.forService("scoring", cards))) {
      Object count = vector.value("card_life__txn_count");
      if (count != null && (Long) count > 0) {
        served.put((String) vector.entity().get("card_id"), List.of(count, vector.value("card_life__amount_sum")));
      }
    }
    return served;
  }

  private static long counter(Lockstep lockstep, String name) {
    return lockstep.online().metrics().sources().getOrDefault("payments", Map.of()).getOrDefault(name, 0L);
  }

  private void await(Lockstep lockstep, BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Timed out after " + WAIT + " waiting for " + what + ": " + lockstep.online().metrics().sources()
            .get("payments") + ", " + good.size() + " good records produced");
      }
      Thread.sleep(20);
    }
  }

  @AfterEach
  void dropNamespace() {
    Distributed.drop(namespace);
  }
}
