package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.status.StatusReport;
import dev.lockstep.ops.parity.FeatureLogger;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.ops.parity.ParityMonitor;
import dev.lockstep.ops.parity.ParitySummary;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity monitor of {@code serve --log-features} notices a read path that serves wrong values:
 * with the online store on Redis, the states of two cards are swapped behind the server's back (a
 * fault the fetcher cannot see: both states are well-formed and current), and the vectors served
 * from them are logged, rebuilt by the monitor and raise the parity alert of {@code lockstep
 * status}. Before the fault the same monitor finds nothing.
 */
class ParityAlertTest {
  private static final String SERVICE = "fraud_model";

  @TempDir Path repo;

  @Test
  void aReadPathFaultRaisesTheParityAlert() throws Exception {
    ReplayParityTest.copyFraudExample(repo);
    String namespace = Distributed.namespace();
    Files.writeString(repo.resolve("lockstep.yaml"), "online: {backend: redis, namespace: " + namespace + "}\n");
    Path data = repo.resolve("data");
    Cli.Result generated = Cli.run("generate-payments", "--events", "3000", "--seed", "5",
        "--start", Instant.now().minus(Duration.ofDays(2)).toString(), "--days", "2", "--out", data.toString());
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    List<String> cards = ReplayParityTest.cards(data.resolve("payments.csv"));
    assertThat(cards.size()).isGreaterThan(20);

    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.ingest("payments", data.resolve("payments.csv"));
      OnlineRuntime online = lockstep.online();
      online.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET);
      online.startStreaming();
      FeatureClient client = online.client();
      try (FeatureLogger logger = FeatureLogger.start(lockstep, online, Set.of(SERVICE));
          ParityMonitor monitor = ParityMonitor.start(lockstep, online, logger, Set.of(SERVICE),
              Duration.ofMillis(50))) {
        int half = cards.size() / 2;
        List<FeatureVector> healthy = serve(client, cards.subList(0, half));
        awaitChecked(monitor, healthy.size());
        assertThat(monitor.summaries().get(SERVICE).allTime().mismatchedVectors()).isZero();
        assertThat(parityAlerts(lockstep, online, monitor)).isEmpty();

        // the fault: two cards not read yet swap their stored states
        List<String> swapped = swapStates(namespace, cards.subList(half, cards.size()));
        List<FeatureVector> faulty = serve(client, cards.subList(half, cards.size()));
        awaitChecked(monitor, healthy.size() + faulty.size());
        ParitySummary summary = monitor.summaries().get(SERVICE);
        assertThat(summary.allTime().mismatchedVectors()).isEqualTo(2);
        assertThat(summary.lastMismatch()).get().asString().containsAnyOf(
            "card_id=" + swapped.get(0) + " ", "card_id=" + swapped.get(1) + " ");
        assertThat(parityAlerts(lockstep, online, monitor)).containsExactly("parity: 2 of "
            + (healthy.size() + faulty.size()) + " vectors of service " + SERVICE
            + " served in the last 24h differ from their offline rebuild");
      }
    }
  }

  private static List<FeatureVector> serve(FeatureClient client, List<String> cards) {
    List<Map<String, Object>> entities = new ArrayList<>();
    cards.forEach(card -> entities.add(Map.of("card_id", card)));
    return client.features(BatchFeatureRequest.forService(SERVICE, entities));
  }

  @SuppressWarnings("unchecked")
  private static List<String> parityAlerts(Lockstep lockstep, OnlineRuntime online, ParityMonitor monitor) {
    Map<String, Object> status = StatusReport.of(lockstep, Optional.of(online), Optional.of(monitor), Map.of(),
        Instant.now());
    return ((List<String>) status.get("alerts")).stream().filter(alert -> alert.startsWith("parity")).toList();
  }

  /**
   * Swaps the stored {@code card_txn} states of the first two of {@code cards} whose states differ;
   * returns their ids. A value key is {@code <namespace>:v:{<hex of the entity key>}:<view>}, and
   * the entity key's bytes hold the card id.
   */
  private static List<String> swapStates(String namespace, List<String> cards) {
    Map<String, String> keyOfCard = new LinkedHashMap<>();
    for (String key : Distributed.redisKeys(namespace + ":v:*:card_txn")) {
      String hex = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
      String entity = new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1);
      for (String card : cards) {
        if (entity.endsWith(card)) {
          keyOfCard.put(card, key);
        }
      }
    }
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> redis = connection.sync();
      List<String> found = new ArrayList<>(keyOfCard.keySet());
      String first = found.get(0);
      byte[] firstKey = keyOfCard.get(first).getBytes(StandardCharsets.UTF_8);
      byte[] firstValue = redis.get(firstKey);
      for (String second : found.subList(1, found.size())) {
        byte[] secondKey = keyOfCard.get(second).getBytes(StandardCharsets.UTF_8);
        byte[] secondValue = redis.get(secondKey);
        if (!java.util.Arrays.equals(firstValue, secondValue)) {
          redis.set(firstKey, secondValue);
          redis.set(secondKey, firstValue);
          return List.of(first, second);
        }
      }
    } finally {
      client.shutdown();
    }
    throw new AssertionError("no two cards with different states among " + cards);
  }

  private static void awaitChecked(ParityMonitor monitor, long vectors) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (monitor.summaries().get(SERVICE).allTime().vectors() < vectors) {
      assertThat(System.nanoTime()).as("waiting for " + vectors + " vectors checked").isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(monitor.summaries().get(SERVICE).allTime().vectors()).isEqualTo(vectors);
  }
}
