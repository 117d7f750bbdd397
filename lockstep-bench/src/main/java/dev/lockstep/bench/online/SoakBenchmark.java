package dev.lockstep.bench.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The soak of issue 14: {@code lockstep serve} in its own JVM (the distribution's jar, {@code
 * -Xmx2g}) takes mixed reads and pushes for {@code --minutes} at {@code --overload} times the push
 * rate it sustains, measured first. Reported: pushes acknowledged and shed (503/429), read and push
 * latencies (open loop, from each request's due time), the server's peak RSS, and — after the load
 * stops, the applier catches up and the server is stopped with SIGTERM — how many acknowledged
 * events the offline table lacks or holds twice (both must be 0).
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -cp lockstep-bench/target/benchmarks.jar dev.lockstep.bench.online.SoakBenchmark \
 *     --dir /tmp/lockstep-soak --minutes 10
 * </pre>
 *
 * Options: {@code --minutes} (10), {@code --overload} (2), {@code --read-rate} (reads per second,
 * 1000), {@code --cards} (10,000), {@code --server-heap} (the server's -Xmx, 2g), {@code --jar}
 * (default lockstep-cli/target/lockstep-cli.jar).
 */
public final class SoakBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 200;
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, txn_id: long, amount: double, merchant: string}
      feature_views:
        - name: card_txn
          source: payments
          features:
            - {name: txn_count_5m, aggregation: count, window: 5m}
            - {name: amount_mean_1h, aggregation: mean, column: amount, window: 1h}
            - {name: amount_max_30d, aggregation: max, column: amount, window: 30d}
            - {name: amount_sum_7d, aggregation: sum, column: amount, window: 7d}
            - {name: merchants_24h, aggregation: approx_count_distinct, column: merchant, window: 24h}
            - {name: last_merchant, latest: merchant}
      feature_services:
        - name: soak
          features: [card_txn:txn_count_5m, card_txn:amount_mean_1h, card_txn:amount_max_30d,
                     card_txn:amount_sum_7d, card_txn:merchants_24h, card_txn:last_merchant]
      """;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong nextTxn = new AtomicLong();
  private final BitSet acknowledged = new BitSet();
  private final int cards;
  private URI base;

  private SoakBenchmark(int cards) {
    this.cards = cards;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse("SoakBenchmark", args, Set.of("dir", "minutes", "overload", "read-rate", "cards",
        "jar", "server-heap"));
    Path dir = Path.of(options.string("dir", "/tmp/lockstep-soak"));
    long minutes = options.number("minutes", 10, 2);
    double overload = Double.parseDouble(options.string("overload", "2"));
    long readRate = options.number("read-rate", 1_000, 500);
    int cards = (int) options.number("cards", 10_000, 1_000);
    Path jar = Path.of(options.string("jar", "lockstep-cli/target/lockstep-cli.jar")).toAbsolutePath();
    String heap = options.string("server-heap", "2g");
    new SoakBenchmark(cards).run(dir, jar, heap, Duration.ofMinutes(minutes), overload, readRate);
  }

  private void run(Path dir, Path jar, String heap, Duration soak, double overload, long readRate) throws Exception {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
    }
    int port = 16_566;
    Process server = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-jar", jar.toString(), "-C", repo.toString(), "serve", "--port", Integer.toString(port)))
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    base = URI.create("http://127.0.0.1:" + port);
    awaitUp(Duration.ofSeconds(60));
    RssProbe rss = new RssProbe(server.pid());
    rss.start();

    // 1. what the server sustains: pushes as fast as 4 clients can, for 30 s, against what it applied
    Load calibration = new Load(4, Double.MAX_VALUE, 0, Duration.ofSeconds(30));
    calibration.run();
    long backlog = unapplied();
    double sustained = (calibration.acknowledgedEvents.get() - backlog) / 30.0;
    awaitApplied(Duration.ofMinutes(10));
    System.err.printf("calibration: %,d events acknowledged, %,d waiting at the end: %,.0f events/s sustained%n",
        calibration.acknowledgedEvents.get(), backlog, sustained);

    // 2. the soak: pushes at overload x what is sustained, reads at readRate, open loop
    double pushRequests = overload * sustained / BATCH;
    Load load = new Load(8, pushRequests, readRate, soak);
    long started = System.nanoTime();
    load.run();
    double seconds = (System.nanoTime() - started) / 1e9;
    long waiting = unapplied();
    awaitApplied(Duration.ofMinutes(30));
    server.destroy(); // SIGTERM: the server appends what its log holds to the offline table
    if (!server.waitFor(5, TimeUnit.MINUTES)) {
      server.destroyForcibly();
      throw new IllegalStateException("the server did not stop within 5 minutes of SIGTERM");
    }
    rss.stop();

    // 3. every acknowledged event stored once, nothing else
    BitSet stored = new BitSet();
    long duplicates = 0;
    long unacknowledged = 0;
    try (Lockstep lockstep = Lockstep.open(repo);
        CloseableIterator<Row> rows = lockstep.offlineStore().scan("payments", ScanRequest.latest())) {
      int txn = lockstep.offlineStore().schema("payments").position("txn_id");
      while (rows.hasNext()) {
        int id = (int) (long) (Long) rows.next().value(txn);
        if (stored.get(id)) {
          duplicates++;
        }
        stored.set(id);
        if (!acknowledged.get(id)) {
          unacknowledged++;
        }
      }
    }
    BitSet lost = (BitSet) acknowledged.clone();
    lost.andNot(stored);

    System.out.printf("%n## Soak: %d min at %.1fx the sustained push rate, reads at %,d/s, server -Xmx%s%n%n",
        soak.toMinutes(), overload, readRate, heap);
    System.out.println("| figure | value |");
    System.out.println("|---|---|");
    System.out.printf("| sustained push rate (calibration, 30 s) | %,.0f events/s |%n", sustained);
    System.out.printf("| offered push rate | %,.0f events/s (%,.1f pushes of %d/s) |%n", pushRequests * BATCH,
        pushRequests, BATCH);
    System.out.printf("| events acknowledged | %,d (%,.0f/s) |%n", load.acknowledgedEvents.get(),
        load.acknowledgedEvents.get() / seconds);
    System.out.printf("| pushes answered 200 / shed 503 / 429 / other | %,d / %,d / %,d / %,d |%n",
        load.pushStatuses.getOrDefault(200, 0L), load.pushStatuses.getOrDefault(503, 0L),
        load.pushStatuses.getOrDefault(429, 0L), load.otherPushes());
    System.out.printf("| push latency p50 / p99 / max (answered) | %s |%n", summary(load.pushLatencies));
    System.out.printf("| reads answered 200 / shed / other | %,d / %,d / %,d |%n",
        load.readStatuses.getOrDefault(200, 0L), load.readStatuses.getOrDefault(503, 0L)
            + load.readStatuses.getOrDefault(429, 0L), load.otherReads());
    System.out.printf("| read latency p50 / p99 / max | %s |%n", summary(load.readLatencies));
    System.out.printf("| unapplied events when the load stopped | %,d |%n", waiting);
    System.out.printf("| server peak RSS | %,d MB |%n", rss.peakKilobytes.get() / 1024);
    System.out.printf("| acknowledged events lost / stored twice / stored unacknowledged | %,d / %,d / %,d |%n",
        lost.cardinality(), duplicates, unacknowledged);
  }

  /** Pushers and readers for a while, open loop, counting statuses and latencies. */
  private final class Load {
    final int pushers;
    final double pushRate;
    final long readRate;
    final Duration duration;
    final AtomicLong acknowledgedEvents = new AtomicLong();
    final Map<Integer, Long> pushStatuses = new ConcurrentSkipListMap<>();
    final Map<Integer, Long> readStatuses = new ConcurrentSkipListMap<>();
    final Latencies pushLatencies = new Latencies();
    final Latencies readLatencies = new Latencies();

    Load(int pushers, double pushRate, long readRate, Duration duration) {
      this.pushers = pushers;
      this.pushRate = pushRate;
      this.readRate = readRate;
      this.duration = duration;
    }

    long otherPushes() {
      return pushStatuses.entrySet().stream().filter(e -> !Set.of(200, 503, 429).contains(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }

    long otherReads() {
      return readStatuses.entrySet().stream().filter(e -> !Set.of(200, 503, 429).contains(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }

    void run() throws InterruptedException {
      long start = System.nanoTime() + 50_000_000L;
      long end = start + duration.toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < pushers; p++) {
        int pusher = p;
        threads.add(thread(() -> {
          Random random = new Random(pusher);
          double interval = pushRate == Double.MAX_VALUE ? 0 : 1e9 * pushers / pushRate;
          for (long i = 0; ; i++) {
            long due = start + (long) (i * interval) + (long) (pusher * interval / pushers);
            if (due >= end || System.nanoTime() >= end) {
              return;
            }
            waitUntil(due);
            push(random, due);
          }
        }));
      }
      int readers = readRate == 0 ? 0 : 4;
      for (int r = 0; r < readers; r++) {
        int reader = r;
        threads.add(thread(() -> {
          Random random = new Random(100 + reader);
          double interval = 1e9 * readers / readRate;
          for (long i = 0; ; i++) {
            long due = start + (long) (i * interval) + (long) (reader * interval / readers);
            if (due >= end) {
              return;
            }
            waitUntil(due);
            read(random, due);
          }
        }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
    }

    private void push(Random random, long due) {
      long first = nextTxn.getAndAdd(BATCH);
      StringBuilder body = new StringBuilder(BATCH * 100);
      long now = System.currentTimeMillis();
      for (int e = 0; e < BATCH; e++) {
        body.append("{\"card_id\":\"card-").append(random.nextInt(cards)).append("\",\"ts\":")
            .append(now - random.nextInt(600_000)).append(",\"txn_id\":").append(first + e)
            .append(",\"amount\":").append(random.nextInt(100_000) / 100.0).append(",\"merchant\":\"m-")
            .append(random.nextInt(500)).append("\"}\n");
      }
      int status = send(HttpRequest.newBuilder(base.resolve("/v1/push/payments"))
          .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build(), pushStatuses, pushLatencies, due);
      if (status == 200) {
        synchronized (acknowledged) {
          acknowledged.set((int) first, (int) first + BATCH);
        }
        acknowledgedEvents.addAndGet(BATCH);
      }
    }

    private void read(Random random, long due) {
      send(HttpRequest.newBuilder(base.resolve("/v1/features")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"soak\",\"entity\":{\"card_id\":\"card-"
              + random.nextInt(cards) + "\"}}")).build(), readStatuses, readLatencies, due);
    }

    private int send(HttpRequest request, Map<Integer, Long> statuses, Latencies latencies, long due) {
      int status;
      try {
        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        status = -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      latencies.recordSynchronized(System.nanoTime() - due);
      statuses.merge(status, 1L, Long::sum);
      return status;
    }
  }

  private static String summary(Latencies latencies) {
    return String.format("%.1f / %.1f / %.0f ms", latencies.millis(50), latencies.millis(99), latencies.maxMillis());
  }

  private static Thread thread(Runnable body) {
    Thread thread = new Thread(body);
    thread.start();
    return thread;
  }

  private static void waitUntil(long due) {
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      if (wait > 2_000_000) {
        try {
          Thread.sleep(wait / 1_000_000 - 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private long unapplied() throws Exception {
    JsonNode ready = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/ready")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    return ready.path("sources").path("payments").path("unapplied_events").asLong();
  }

  private void awaitApplied(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unapplied() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the applier did not catch up within " + timeout);
      }
      Thread.sleep(200);
    }
  }

  private void awaitUp(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("lockstep serve did not come up within " + timeout);
      }
      Thread.sleep(200);
    }
  }

  /** Samples a process's resident set size once a second; keeps the peak. */
  private static final class RssProbe {
    final LongAccumulator peakKilobytes = new LongAccumulator(Math::max, 0);
    private final long pid;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    RssProbe(long pid) {
      this.pid = pid;
    }

    void start() {
      thread = thread(() -> {
        while (running.get()) {
          try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
              if (line.startsWith("VmRSS:")) {
                peakKilobytes.accumulate(Long.parseLong(line.replaceAll("\\D", "")));
              }
            }
            Thread.sleep(1_000);
          } catch (IOException gone) {
            return;
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }
}
