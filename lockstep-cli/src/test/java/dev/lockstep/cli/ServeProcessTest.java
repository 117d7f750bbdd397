package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.client.RemoteFeatureClient;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.parity.Replay;
import dev.lockstep.ops.parity.ReplayReport;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep serve} as an operator runs it: a separate process, events pushed and vectors
 * fetched over HTTP, then SIGTERM. Stopping flushes the streamed events to the offline table and
 * the served vectors to the feature log, so a replay afterwards compares every one of them.
 */
class ServeProcessTest {
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double}
      feature_views:
        - name: card_txn
          source: payments
          features:
            - {name: txn_count_1h, aggregation: count, window: 1h}
            - {name: amount_sum_1d, aggregation: sum, column: amount, window: 1d}
            - {name: amount_mean_10m, aggregation: mean, column: amount, window: 10m}
      feature_services:
        - {name: scoring, features: [card_txn:txn_count_1h, card_txn:amount_sum_1d, card_txn:amount_mean_10m]}
      """;

  @TempDir Path repo;

  @Test
  void sigtermFlushesStreamedEventsAndLoggedVectorsAndReplayMatches() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    assertThat(Main.run("-C", repo.toString(), "apply")).isZero();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process server = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "-C", repo.toString(), "serve", "--port", "0", "--log-features", "scoring")
        .redirectErrorStream(true)
        .start();
    BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    URI uri = null;
    Pattern serving = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)");
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      Matcher matcher = serving.matcher(line);
      if (matcher.find()) {
        uri = URI.create(matcher.group(1));
        break;
      }
    }
    assertThat(uri).as("the server printed its address").isNotNull();
    StringBuffer rest = new StringBuffer();
    Thread drain = new Thread(() -> {
      try {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
          rest.append(line).append('\n');
        }
      } catch (java.io.IOException closed) {
        // the process ended
      }
    });
    drain.start();
    int vectors = 0;
    try (FeatureClient client = RemoteFeatureClient.connect(uri)) {
      long now = System.currentTimeMillis();
      for (int batch = 0; batch < 20; batch++) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          events.add(Map.of("card_id", "c" + (i % 5), "ts", now - 1000L * (batch * 25 + i), "amount", 1.0 + i));
        }
        assertThat(client.push("payments", events).accepted()).isEqualTo(25);
        for (int card = 0; card < 5; card++) {
          client.features(FeatureRequest.forService("scoring", Map.of("card_id", "c" + card)));
          vectors++;
        }
      }
    }
    server.destroy();
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stopped on SIGTERM").isTrue();
    drain.join(10_000);
    assertThat(rest.toString()).doesNotContain("Exception");

    try (Lockstep lockstep = Lockstep.open(repo)) {
      long rows = 0;
      try (CloseableIterator<Row> all = lockstep.offlineStore().scan("payments", ScanRequest.latest())) {
        while (all.hasNext()) {
          all.next();
          rows++;
        }
      }
      assertThat(rows).as("every pushed event reached the offline table").isEqualTo(500);
      ReplayReport report = Replay.replay(lockstep, "scoring", Optional.empty(), Optional.empty());
      assertThat(report.vectors()).as("every served vector was logged").isEqualTo(vectors);
      assertThat(report.mismatches()).isZero();
    }
  }
}
