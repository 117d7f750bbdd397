package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.client.RemoteFeatureClient;
import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online half as a user drives it: pushes and tailed files feed the stream, and the embedded
 * and the remote client give the same vectors and the same errors.
 */
class OnlineClientsTest {
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double, merchant: string}
      feature_views:
        - name: card_life
          source: payments
          features:
            - {name: txn_count, aggregation: count, window: lifetime}
            - {name: amount_sum, aggregation: sum, column: amount, window: lifetime}
            - {name: amount_max, aggregation: max, column: amount, window: lifetime}
            - {name: merchants, aggregation: approx_count_distinct, column: merchant, window: lifetime}
            - {name: last_merchant, latest: merchant}
            - {name: recent_merchant, latest: merchant, ttl: 1d}
      feature_services:
        - name: scoring
          features: [card_life:txn_count, card_life:amount_sum, card_life:amount_max, card_life:merchants,
                     card_life:last_merchant, card_life:recent_merchant]
      """;

  @TempDir Path repo;

  @Test
  void theEmbeddedAndTheRemoteClientServeTheSameVectorsAndErrors() {
    write(repo.resolve("features.yaml"), DEFINITIONS);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      try (ServeCommand.Serving serving = ServeCommand.Serving.start(lockstep, "127.0.0.1", 0, List.of());
          FeatureClient remote = RemoteFeatureClient.connect(java.net.URI.create("http://127.0.0.1:" + serving.port()))) {
        FeatureClient embedded = serving.online().client();
        Random random = new Random(5);
        Map<String, Double> sums = new HashMap<>();
        long old = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
        for (int batch = 0; batch < 10; batch++) {
          List<Map<String, Object>> events = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            String card = "c" + random.nextInt(20);
            double amount = random.nextInt(10_000) / 100.0;
            sums.merge(card, amount, Double::sum);
            events.add(Map.of("card_id", card, "ts", old + random.nextInt(1_000_000), "amount", amount,
                "merchant", "m" + random.nextInt(7)));
          }
          PushResult result = (batch % 2 == 0 ? embedded : remote).push("payments", events);
          assertThat(result.accepted()).isEqualTo(50);
        }
        PushResult mixed = remote.push("payments", List.of(
            Map.of("card_id", "c1", "ts", "yesterday", "amount", 1.0),
            Map.of("amount", 2.0, "ts", old)));
        assertThat(mixed.accepted()).isZero();
        assertThat(mixed.rejected()).extracting(PushResult.Rejection::index).containsExactly(0, 1);
        assertThat(mixed.rejected().get(0).reason()).contains("'yesterday' is not a timestamp");
        assertThat(mixed.rejected().get(1).reason()).contains("key column 'card_id' is missing");
        serving.online().awaitApplied(Duration.ofSeconds(30));

        List<Map<String, Object>> cards = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          cards.add(Map.of("card_id", "c" + i));
        }
        cards.add(Map.of("card_id", "never-seen"));
        List<FeatureVector> fromEmbedded = embedded.features(BatchFeatureRequest.forService("scoring", cards));
        List<FeatureVector> fromRemote = remote.features(BatchFeatureRequest.forService("scoring", cards));
        for (int i = 0; i < cards.size(); i++) {
          assertThat(fromRemote.get(i).values()).isEqualTo(fromEmbedded.get(i).values());
          assertThat(fromRemote.get(i).statuses()).isEqualTo(fromEmbedded.get(i).statuses());
        }
        FeatureVector c3 = remote.features(FeatureRequest.forService("scoring", Map.of("card_id", "c3")));
        assertThat((Double) c3.value("card_life__amount_sum")).isCloseTo(sums.get("c3"), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c3.status("card_life__recent_merchant")).isEqualTo(FeatureStatus.EXPIRED);
        assertThat(c3.value("card_life__recent_merchant")).isNull();
        assertThat(c3.status("card_life__last_merchant")).isEqualTo(FeatureStatus.PRESENT);
        FeatureVector unknown = fromRemote.get(cards.size() - 1);
        assertThat(unknown.status("card_life__txn_count")).isEqualTo(FeatureStatus.NO_DATA);
        assertThat(unknown.value("card_life__txn_count")).isEqualTo(0L);

        for (FeatureClient client : List.of(embedded, remote)) {
          assertThatThrownBy(() -> client.features(FeatureRequest.forService("nope", Map.of("card_id", "c1"))))
              .isInstanceOf(UnknownNameException.class).hasMessageContaining("no feature service 'nope'");
          assertThatThrownBy(() -> client.features(FeatureRequest.forService("scoring", Map.of("card", "c1"))))
              .isInstanceOf(InvalidRequestException.class).hasMessageContaining("has no 'card_id'");
          assertThatThrownBy(() -> client.push("nope", List.of(Map.of())))
              .isInstanceOf(UnknownNameException.class).hasMessageContaining("no source 'nope'");
        }
      }
    }
  }

  @Test
  void aTailedFileIsIngestedExactlyOnceAcrossRestarts() throws Exception {
    write(repo.resolve("features.yaml"), DEFINITIONS);
    Path live = repo.resolve("live.jsonl");
    long ts = System.currentTimeMillis() - 60_000;
    write(live, line("c1", ts, 1.0) + line("c2", ts, 2.0) + "not json\n" + line("c1", ts + 1, 4.0));
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.online().startStreaming();
      lockstep.online().tail("payments", live);
      awaitAccepted(lockstep, 3);
      append(live, line("c2", ts + 2, 8.0) + "{\"card_id\": \"c3\"}\n" + "{\"card_id\": \"c3\", \"ts\"");
      awaitAccepted(lockstep, 4);
    }
    // a restart resumes after the last line the log holds; the half-written last line completes now
    append(live, ": " + ts + ", \"amount\": 16.0}\n");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.online().startStreaming();
      lockstep.online().tail("payments", live);
      awaitAccepted(lockstep, 1);
      lockstep.online().awaitApplied(Duration.ofSeconds(30));
      FeatureVector c1 = lockstep.online().client().features(FeatureRequest.forService("scoring", Map.of("card_id", "c1")));
      FeatureVector c2 = lockstep.online().client().features(FeatureRequest.forService("scoring", Map.of("card_id", "c2")));
      FeatureVector c3 = lockstep.online().client().features(FeatureRequest.forService("scoring", Map.of("card_id", "c3")));
      assertThat(c1.value("card_life__amount_sum")).isEqualTo(5.0);
      assertThat(c2.value("card_life__amount_sum")).isEqualTo(10.0);
      assertThat(c3.value("card_life__amount_sum")).isEqualTo(16.0);
      lockstep.online().flushOffline();
      List<String> reasons = new ArrayList<>();
      try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("payments__quarantine", ScanRequest.latest())) {
        rows.forEachRemaining(row -> reasons.add((String) row.value(2)));
      }
      assertThat(reasons).hasSize(2);
      assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("not JSON"));
      assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("'ts' is missing"));
      long rows = 0;
      try (CloseableIterator<Row> all = lockstep.offlineStore().scan("payments", ScanRequest.latest())) {
        while (all.hasNext()) {
          all.next();
          rows++;
        }
      }
      assertThat(rows).isEqualTo(5);
    }
  }

  private static void awaitAccepted(Lockstep lockstep, long accepted) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Object count = ((Map<?, ?>) lockstep.online().status().get("payments")).get("accepted");
      if (count != null && ((Long) count) >= accepted) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the tailer did not accept " + accepted + " events: " + lockstep.online().status());
  }

  private static String line(String card, long ts, double amount) {
    return "{\"card_id\": \"" + card + "\", \"ts\": " + ts + ", \"amount\": " + amount + ", \"merchant\": \"m\"}\n";
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void append(Path file, String text) throws java.io.IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
