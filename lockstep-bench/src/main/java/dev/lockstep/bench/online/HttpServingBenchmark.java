package dev.lockstep.bench.online;

import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.server.LockstepServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Online features over HTTP: {@code POST /v1/features} on loopback at fixed request rates,
 * single-entity and batches of 100, from an {@link OpenLoop} generator (latency from each request's
 * due time) over a pool of keep-alive connections. The peer, in the same run and at the same rates:
 * Redis {@code GET} of a value of the same bytes as a single response (the JSON of a served vector
 * of one of the first {@code --redis-keys} cards), and {@code MGET} of 100 such values for the
 * batch; the "network key-value lookup" floor.
 *
 * <p>Usage: {@code HttpServingBenchmark --dir DIR [--cards N] [--events N] [--seconds S per point]
 * [--rates 1000,5000,10000] [--batch-rates 100,500,1000] [--batch-size 100] [--connections 16]
 * [--redis HOST:PORT|none] [--redis-keys N] [--seed S] [--quick]}. Prints {@link Results} lines.
 * The load generator runs in the server's JVM, so both share the machine's cores.
 */
public final class HttpServingBenchmark {
  static final String SECTION = "http";
  private static final String JSON = "application/json";

  private HttpServingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse("HttpServingBenchmark", args, Set.of("dir", "cards", "events", "seconds",
        "rates", "batch-rates", "batch-size", "connections", "redis", "redis-keys", "seed"));
    Path dir = options.path("dir", "/tmp/lockstep-online-bench/serving");
    int cards = (int) options.number("cards", 25_000, 10_000);
    long events = options.number("events", 500_000, 100_000);
    double seconds = Math.min(20, options.seconds("seconds", 10, 1));
    List<Long> rates = options.numbers("rates", "1000,5000,10000", "1000,5000");
    List<Long> batchRates = options.numbers("batch-rates", "100,500,1000", "100");
    int batchSize = (int) options.number("batch-size", 100, 100);
    int connections = (int) options.number("connections", 16, 8);
    String redis = options.string("redis", "127.0.0.1:6379");
    int redisKeys = (int) options.number("redis-keys", 10_000, 1_000);
    long seed = options.number("seed", 1, 1);
    Results.say("HTTP serving: %,d events over %,d cards, %.1f s per point, rates %s, batch-%d rates %s,"
        + " %d connections; load %s", events, cards, seconds, rates, batchSize, batchRates, connections,
        Results.loadAverage());

    try (ServingData data = ServingData.open(dir, events, cards, seed)) {
      OnlineRuntime online = data.online();
      String[] loaded = data.cards();
      data.touchAll();
      try (LockstepServer server = LockstepServer.builder().host("127.0.0.1").port(0)
          .featureClient(online.client()).build().start()) {
        String host = "127.0.0.1:" + server.port();
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] singles = new byte[8_192][];
        for (int i = 0; i < singles.length; i++) {
          singles[i] = RawHttpConnection.post(host, "/v1/features", JSON, single(loaded[random.nextInt(loaded.length)]));
        }
        byte[][] batches = new byte[512][];
        for (int i = 0; i < batches.length; i++) {
          batches[i] = RawHttpConnection.post(host, "/v1/features", JSON, batch(loaded, batchSize, random));
        }
        // the peer's values are responses of the server itself, which warms it up too
        List<byte[]> vectors = responses(server.port(), host, loaded, Math.min(redisKeys, loaded.length));
        double singleBytes = vectors.stream().mapToInt(vector -> vector.length).average().orElse(0);
        double batchBytes = batchResponseBytes(server.port(), batches);
        Results.say("responses: %.0f bytes single, %.0f bytes for a batch of %d", singleBytes, batchBytes, batchSize);
        Results.emit(SECTION, "response", "single_bytes", singleBytes);
        Results.emit(SECTION, "response", "batch_bytes", batchBytes);
        OpenLoop.Connector connector = () -> connection(server.port(), singles);
        OpenLoop.blocking(connector, connections, 2_000, (long) (2_000 * seconds / 2));
        OpenLoop.blocking(() -> connection(server.port(), batches), connections, 100, (long) (100 * seconds / 2));

        RedisPeer peer = startPeer(redis, vectors);
        if (peer != null) {
          OpenLoop.async(index -> peer.get((int) (index % peer.size())), 2_000, (long) (2_000 * seconds / 2));
        }
        try {
          for (long rate : rates) {
            String lockstepRow = "lockstep single @" + rate + "/s";
            report(lockstepRow, rate, OpenLoop.blocking(connector, connections, rate, (long) (rate * seconds)));
            if (peer != null) {
              int[] keys = randomKeys(peer.size(), 1 << 16, random);
              String redisRow = "redis GET @" + rate + "/s";
              report(redisRow, rate, OpenLoop.async(index -> peer.get(keys[(int) (index & 0xFFFF)]), rate, (long) (rate * seconds)));
              Results.peer(SECTION, lockstepRow, redisRow);
            }
          }
          for (long rate : batchRates) {
            String lockstepRow = "lockstep batch-" + batchSize + " @" + rate + "/s";
            report(lockstepRow, rate,
                OpenLoop.blocking(() -> connection(server.port(), batches), connections, rate, (long) (rate * seconds)));
            if (peer != null) {
              int[][] keySets = new int[512][];
              for (int i = 0; i < keySets.length; i++) {
                keySets[i] = randomKeys(peer.size(), batchSize, random);
              }
              String redisRow = "redis MGET-" + batchSize + " @" + rate + "/s";
              report(redisRow, rate, OpenLoop.async(index -> peer.mget(keySets[(int) (index % keySets.length)]),
                  rate, (long) (rate * seconds)));
              Results.peer(SECTION, lockstepRow, redisRow);
            }
          }
        } finally {
          if (peer != null) {
            peer.close();
          }
        }
      }
    }
    Results.say("load average at the end: %s", Results.loadAverage());
  }

  private static RedisPeer startPeer(String redis, List<byte[]> values) {
    if (redis.equals("none")) {
      return null;
    }
    try {
      return RedisPeer.start(redis, values);
    } catch (Exception e) {
      Results.say("Cannot use Redis at %s (%s): the Redis peer is left out", redis, e);
      return null;
    }
  }

  private static void report(String row, long rate, OpenLoop.Point point) {
    Latencies latencies = point.latencies();
    Results.say("%-30s achieved %,8.0f/s  p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  errors %d  unsent %d",
        row, point.achievedPerSecond(), latencies.millis(50), latencies.millis(99), latencies.millis(99.9),
        point.errors(), point.unsent());
    Results.emit(SECTION, row, "target_per_second", rate);
    Results.emit(SECTION, row, "achieved_per_second", point.achievedPerSecond());
    Results.emit(SECTION, row, "p50_ms", latencies.millis(50));
    Results.emit(SECTION, row, "p99_ms", latencies.millis(99));
    Results.emit(SECTION, row, "p999_ms", latencies.millis(99.9));
    Results.emit(SECTION, row, "errors", point.errors());
    Results.emit(SECTION, row, "unsent", point.unsent());
  }

  private static OpenLoop.Connection connection(int port, byte[][] requests) throws IOException {
    RawHttpConnection http = new RawHttpConnection("127.0.0.1", port);
    return new OpenLoop.Connection() {
      @Override
      public boolean exchange(long index) throws IOException {
        return http.exchange(requests[(int) (index % requests.length)]) == 200;
      }

      @Override
      public void close() throws IOException {
        http.close();
      }
    };
  }

  /** The single-entity responses of the first {@code n} cards, fetched one by one. */
  private static List<byte[]> responses(int port, String host, String[] loaded, int n) throws IOException {
    List<byte[]> bodies = new ArrayList<>(n);
    try (RawHttpConnection http = new RawHttpConnection("127.0.0.1", port)) {
      for (int i = 0; i < n; i++) {
        int status = http.exchange(RawHttpConnection.post(host, "/v1/features", JSON, single(loaded[i])));
        if (status != 200) {
          throw new IllegalStateException("Cannot fetch features over HTTP: status " + status + ": "
              + new String(http.body(), StandardCharsets.UTF_8));
        }
        bodies.add(http.body());
      }
    }
    return bodies;
  }

  private static double batchResponseBytes(int port, byte[][] batches) throws IOException {
    long bytes = 0;
    try (RawHttpConnection http = new RawHttpConnection("127.0.0.1", port)) {
      for (byte[] request : batches) {
        if (http.exchange(request) != 200) {
          throw new IllegalStateException("Cannot fetch a batch over HTTP: " + new String(http.body(), StandardCharsets.UTF_8));
        }
        bytes += http.bodyLength();
      }
    }
    return bytes / (double) batches.length;
  }

  private static byte[] single(String card) {
    return ("{\"service\":\"" + FraudProject.SERVICE + "\",\"entity\":{\"card_id\":\"" + card + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] batch(String[] loaded, int size, SplittableRandom random) {
    StringBuilder body = new StringBuilder("{\"service\":\"" + FraudProject.SERVICE + "\",\"entities\":[");
    for (int i = 0; i < size; i++) {
      body.append(i == 0 ? "" : ",").append("{\"card_id\":\"").append(loaded[random.nextInt(loaded.length)]).append("\"}");
    }
    return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int[] randomKeys(int keys, int n, SplittableRandom random) {
    int[] indexes = new int[n];
    for (int i = 0; i < n; i++) {
      indexes[i] = random.nextInt(keys);
    }
    return indexes;
  }
}
