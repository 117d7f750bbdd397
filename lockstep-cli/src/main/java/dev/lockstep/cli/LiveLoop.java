package dev.lockstep.cli;

import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.client.RemoteFeatureClient;
import dev.lockstep.core.Lockstep;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The live part of the quickstart: a server with feature logging in this process, synthetic live
 * transactions pushed over HTTP (some of them late), and feature vectors fetched over HTTP while
 * they stream. Deterministic apart from the clock: the transactions come from a seeded generator.
 */
final class LiveLoop {
  private static final int BATCH = 250;
  private final Path repo;
  private final int port;
  private final int liveEvents;
  private final int cards;

  LiveLoop(Path repo, int port, int liveEvents, long historyEvents) {
    this.repo = repo;
    this.port = port;
    this.liveEvents = liveEvents;
    this.cards = (int) Math.max(1, historyEvents / 100);
  }

  void run() {
    String r = repo.toString();
    System.out.println();
    System.out.println("## Serve over HTTP, logging every vector served for fraud_model");
    System.out.println("$ lockstep -C " + r + " serve --port " + port + " --log-features fraud_model   # here, in this process");
    try (Lockstep lockstep = Lockstep.open(repo);
        ServeCommand.Serving serving = ServeCommand.Serving.start(lockstep, "127.0.0.1", port, List.of("fraud_model"))) {
      URI uri = URI.create("http://127.0.0.1:" + serving.port());
      System.out.println(ServeCommand.backends(lockstep));
      System.out.println("Serving on " + uri);
      try (FeatureClient client = RemoteFeatureClient.connect(uri)) {
        stream(client, uri);
      }
    }
  }

  private void stream(FeatureClient client, URI uri) {
    Random random = new Random(7);
    String example = card(42);
    System.out.println();
    System.out.println("## Stream " + String.format("%,d", liveEvents) + " live transactions through the push API, fetching vectors as they arrive");
    System.out.println("$ curl -s " + uri + "/v1/push/payments -H 'Content-Type: application/x-ndjson' --data-binary @live.ndjson");
    System.out.println("$ curl -s " + uri + "/v1/features -d '{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"" + example + "\"}}'");
    long started = System.nanoTime();
    int accepted = 0;
    int fetched = 0;
    int late = 0;
    for (int sent = 0; sent < liveEvents; sent += BATCH) {
      List<Map<String, Object>> batch = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (int i = 0; i < Math.min(BATCH, liveEvents - sent); i++) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("card_id", card(random.nextInt(cards)));
        boolean isLate = random.nextInt(20) == 0;
        late += isLate ? 1 : 0;
        event.put("ts", now - (isLate ? 3_600_000L + random.nextInt(7_200_000) : random.nextInt(5_000)));
        event.put("amount", Math.round(random.nextDouble() * 20_000) / 100.0);
        event.put("merchant", "merchant-" + random.nextInt(500));
        event.put("items", 1L + random.nextInt(4));
        batch.add(event);
      }
      PushResult result = client.push("payments", batch);
      accepted += result.accepted();
      for (int i = 0; i < 20; i++) {
        client.features(FeatureRequest.forService("fraud_model", Map.of("card_id", card(random.nextInt(cards)))));
        fetched++;
      }
    }
    List<Map<String, Object>> hundred = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      hundred.add(Map.of("card_id", card(random.nextInt(cards))));
    }
    client.features(BatchFeatureRequest.forService("fraud_model", hundred));
    fetched += 100;
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("pushed %,d transactions (%,d late by 1-3 h), %,d accepted durably; fetched %,d vectors; %.1f s%n",
        liveEvents, late, accepted, fetched, seconds);
    FeatureVector vector = client.features(FeatureRequest.forService("fraud_model", Map.of("card_id", example)));
    System.out.println();
    System.out.println("## The vector of " + example + " (value, status)");
    GetCommand.print(List.of(vector));
    System.out.println();
    System.out.println("## Stop the server: streamed events are appended to the offline table, served vectors to fraud_model__feature_log");
  }

  private String card(int rank) {
    int digits = String.valueOf(cards - 1).length();
    return "card-" + String.format("%0" + digits + "d", rank);
  }
}
