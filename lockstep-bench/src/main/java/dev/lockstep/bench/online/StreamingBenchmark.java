package dev.lockstep.bench.online;

import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.server.LockstepServer;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sustained streaming ingestion: {@code --threads} pushers push batches of {@code --batch} events
 * (uniform over {@code --cards} cards, event times in the 10 minutes before the run) for
 * {@code --seconds}, each push returning once its events are durable (group commit, fsync), while
 * {@link ServableProbes} measure event → servable latency. Lines:
 * <ol>
 *   <li>the embedded client ({@code client.push}) paced at each of {@code --paced-rates} events/s
 *       (batches due at fixed times), then as fast as acknowledgements come back, in one fresh
 *       project;
 *   <li>{@code POST /v1/push/payments} with NDJSON bodies on loopback keep-alive connections, as
 *       fast as they are answered, in another fresh project;
 *   <li>the peer: the local event log alone ({@code Backends.load(EventLog.class, "local", ...)},
 *       fsync on) appending the same records (the pool's events in the committer's record format,
 *       {@link EventRecordBytes}) with the same threads and batch size — the floor.
 * </ol>
 * After each Lockstep line it waits up to {@code --drain-seconds} for the applier to catch up:
 * when pushes outrun the applier, the backlog at the stop and the applied rate say by how much.
 *
 * <p>Usage: {@code StreamingBenchmark --dir DIR [--seconds S] [--threads N] [--batch N]
 * [--cards N] [--paced-rates N,N] [--drain-seconds S] [--probes-per-second N] [--seed S] [--quick]}.
 * Prints {@link Results} lines.
 */
public final class StreamingBenchmark {
  static final String SECTION = "streaming";
  private static final int POOL_BATCHES = 256;
  private static final String EMBEDDED = "lockstep embedded push, max rate";
  private static final String HTTP = "lockstep HTTP push (NDJSON), max rate";
  private static final String RAW = "raw event log append, max rate";

  private StreamingBenchmark() {}

  /** Pushes batch {@code batch} of the pool, with {@code last} as its last event. */
  private interface Sender extends AutoCloseable {
    void send(long batch, Map<String, Object> last) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  private interface SenderFactory {
    Sender open() throws Exception;
  }

  /** Pre-built batches, as event maps and as NDJSON, all but the last event of each. */
  private record Pool(List<List<Map<String, Object>>> maps, List<byte[]> lines, int cards, int batch) {
    Map<String, Object> event(SplittableRandom random, String card) {
      return FraudProject.event(card == null ? card(random.nextInt(cards)) : card,
          System.currentTimeMillis() - 1_000 - random.nextInt(600_000),
          Math.round(random.nextDouble(1, 500) * 100) / 100.0, "m-" + random.nextInt(1_000), 1 + random.nextInt(5));
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse("StreamingBenchmark", args,
        Set.of("dir", "seconds", "threads", "batch", "cards", "probes-per-second", "paced-rates", "drain-seconds", "seed"));
    Path dir = options.path("dir", "/tmp/lockstep-online-bench/streaming");
    double seconds = Math.min(60, options.seconds("seconds", 20, 2));
    int threads = (int) options.number("threads", 4, 4);
    int batch = (int) options.number("batch", 500, 500);
    int cards = (int) options.number("cards", 25_000, 10_000);
    long probesPerSecond = options.number("probes-per-second", 50, 50);
    List<Long> pacedRates = options.numbers("paced-rates", "2000,10000", "5000");
    double drainSeconds = options.seconds("drain-seconds", 30, 10);
    long seed = options.number("seed", 1, 1);
    Results.say("Streaming: %d pushers × batches of %d for %.1f s per line (paced lines: %s events/s), %,d cards,"
        + " %d probes/s, up to %.1f s to catch up; load %s", threads, batch, seconds, pacedRates, cards, probesPerSecond,
        drainSeconds, Results.loadAverage());
    Pool pool = pool(cards, batch, seed);

    Path embedded = dir.resolve("embedded");
    try (Lockstep lockstep = FraudProject.create(embedded)) {
      OnlineRuntime online = lockstep.online();
      online.startStreaming();
      FeatureClient client = online.client();
      SenderFactory embeddedPush = () -> (number, last) -> {
        List<Map<String, Object>> events = new ArrayList<>(pool.batch());
        events.addAll(pool.maps().get((int) (number % POOL_BATCHES)));
        events.add(last);
        PushResult result = client.push(FraudProject.SOURCE, events);
        if (result.accepted() != events.size()) {
          throw new IllegalStateException("Cannot push: " + result.rejected());
        }
      };
      for (long pacedRate : pacedRates) {
        runLine(String.format(Locale.ROOT, "lockstep embedded push @%,d events/s", pacedRate), online, pool, threads,
            seconds, pacedRate, drainSeconds, probesPerSecond, embeddedPush);
      }
      runLine(EMBEDDED, online, pool, threads, seconds, 0, drainSeconds, probesPerSecond, embeddedPush);
    }
    FraudProject.deleteRecursively(embedded);

    Path http = dir.resolve("http");
    try (Lockstep lockstep = FraudProject.create(http)) {
      OnlineRuntime online = lockstep.online();
      online.startStreaming();
      try (LockstepServer server = LockstepServer.builder().host("127.0.0.1").port(0)
          .featureClient(online.client()).build().start()) {
        String host = "127.0.0.1:" + server.port();
        runLine(HTTP, online, pool, threads, seconds, 0, drainSeconds, probesPerSecond, () -> {
          RawHttpConnection connection = new RawHttpConnection("127.0.0.1", server.port());
          return new Sender() {
            @Override
            public void send(long number, Map<String, Object> last) throws Exception {
              byte[] lines = pool.lines().get((int) (number % POOL_BATCHES));
              byte[] line = ndjson(last);
              byte[] body = new byte[lines.length + line.length];
              System.arraycopy(lines, 0, body, 0, lines.length);
              System.arraycopy(line, 0, body, lines.length, line.length);
              int status = connection.exchange(
                  RawHttpConnection.post(host, "/v1/push/" + FraudProject.SOURCE, "application/x-ndjson", body));
              if (status != 200) {
                throw new IllegalStateException("Cannot push over HTTP: status " + status + ": "
                    + new String(connection.body(), StandardCharsets.UTF_8));
              }
            }

            @Override
            public void close() throws Exception {
              connection.close();
            }
          };
        });
      }
    }
    FraudProject.deleteRecursively(http);

    rawLog(dir.resolve("raw-log"), records(pool), threads, batch, seconds);
    FraudProject.deleteRecursively(dir.resolve("raw-log"));
    Results.peer(SECTION, EMBEDDED, RAW);
    Results.peer(SECTION, HTTP, RAW);
    Results.say("load average at the end: %s", Results.loadAverage());
  }

  /**
   * Pushes from {@code threads} pushers for {@code seconds}: as fast as acknowledgements come back
   * when {@code pacedRate} is 0, else batches due at a fixed rate of {@code pacedRate} events/s.
   * Then waits up to {@code drainSeconds} for the applier to catch up and the probes to resolve.
   */
  private static void runLine(String row, OnlineRuntime online, Pool pool, int threads, double seconds,
      long pacedRate, double drainSeconds, long probesPerSecond, SenderFactory senders) throws Exception {
    SplittableRandom seeds = new SplittableRandom(row.hashCode());
    LongAdder events = new LongAdder();
    LongAccumulator lastAck = new LongAccumulator(Math::max, 0);
    AtomicLong batches = new AtomicLong();
    Latencies acks = new Latencies();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    ServableProbes probes = new ServableProbes(online.client(), "probe-" + Math.abs(row.hashCode()) + "-", probesPerSecond);
    long appliedBefore = FraudProject.applied(online);
    long acceptedBefore = accepted(online);
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    double batchInterval = pacedRate > 0 ? 1e9 * pool.batch() / pacedRate : 0;
    List<Thread> pushers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = seeds.split();
      Sender sender = senders.open();
      Thread pusher = new Thread(() -> {
        Latencies latencies = new Latencies();
        try (sender) {
          while (true) {
            long number = batches.getAndIncrement();
            long due = start + (long) (number * batchInterval);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
              java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() >= deadline) {
              break;
            }
            String probe = probes.due();
            Map<String, Object> last = pool.event(random, probe);
            long before = System.nanoTime();
            if (probe != null) {
              probes.pushing(probe, before);
            }
            sender.send(number, last);
            long after = System.nanoTime();
            latencies.record(after - before);
            lastAck.accumulate(after);
            events.add(pool.batch());
          }
        } catch (Throwable e) {
          failures.add(e);
        }
        acks.add(latencies);
      }, "pusher-" + t);
      pusher.start();
      pushers.add(pusher);
    }
    for (Thread pusher : pushers) {
      pusher.join();
    }
    long stopped = System.nanoTime();
    double elapsed = (lastAck.get() - start) / 1e9;
    long appliedAtStop = FraudProject.applied(online);
    long backlog = accepted(online) - appliedAtStop;
    double drained = Double.NaN;
    long acceptedTotal = accepted(online);
    long drainDeadline = stopped + (long) (drainSeconds * 1e9);
    while (System.nanoTime() < drainDeadline && online.healthy()) {
      if (FraudProject.applied(online) >= acceptedTotal) {
        drained = (System.nanoTime() - stopped) / 1e9;
        break;
      }
      Thread.sleep(10);
    }
    long unresolved = probes.finish(Math.max(1_000, (drainDeadline - System.nanoTime()) / 1_000_000));
    if (!failures.isEmpty()) {
      throw new IllegalStateException("Cannot push: " + failures.get(0), failures.get(0));
    }
    long pushed = events.sum();
    double rate = pushed / elapsed;
    double appliedRate = (appliedAtStop - appliedBefore) / elapsed;
    Latencies servable = probes.latencies();
    Results.say("%-34s %,.0f events/s acknowledged (%,d events in %.1f s, %,d accepted), %,.0f events/s applied"
            + " meanwhile, backlog at stop %,d; ack p50 %.1f ms p99 %.1f ms; event→servable p50 %.1f ms p99 %.1f ms"
            + " (%d probes, %d not servable within %.1f s of the stop); %s",
        row, rate, pushed, elapsed, acceptedTotal - acceptedBefore, appliedRate, backlog, acks.millis(50),
        acks.millis(99), servable.millis(50), servable.millis(99), servable.count(), unresolved, drainSeconds,
        Double.isNaN(drained) ? "applier not caught up within " + drainSeconds + " s"
            : String.format(Locale.ROOT, "all applied %.2f s after the last push", drained));
    emit(row, rate, acks);
    Results.emit(SECTION, row, "applied_per_second", appliedRate);
    Results.emit(SECTION, row, "backlog_at_stop", backlog);
    Results.emit(SECTION, row, "servable_p50_ms", servable.millis(50));
    Results.emit(SECTION, row, "servable_p99_ms", servable.millis(99));
    Results.emit(SECTION, row, "probes", servable.count());
    Results.emit(SECTION, row, "probes_not_servable", unresolved);
    if (!Double.isNaN(drained)) {
      Results.emit(SECTION, row, "applied_after_s", drained);
    }
  }

  private static long accepted(OnlineRuntime online) {
    Object status = online.status().get(FraudProject.SOURCE);
    Object accepted = status instanceof Map<?, ?> source ? source.get("accepted") : null;
    return accepted instanceof Number number ? number.longValue() : 0;
  }

  private static void emit(String row, double rate, Latencies acks) {
    Results.emit(SECTION, row, "events_per_second", rate);
    Results.emit(SECTION, row, "ack_p50_ms", acks.millis(50));
    Results.emit(SECTION, row, "ack_p99_ms", acks.millis(99));
  }

  /** The peer: the same records appended to a fresh local event log, fsync on. */
  private static void rawLog(Path directory, List<LogRecord> records, int threads, int batch, double seconds)
      throws Exception {
    FraudProject.deleteRecursively(directory);
    String row = RAW;
    try (EventLog log = Backends.load(EventLog.class, "local", Map.of("dir", directory.toString(), "fsync", "true"))) {
      log.createStream(FraudProject.SOURCE, 1);
      List<List<LogRecord>> batches = new ArrayList<>();
      for (int from = 0; from + batch <= records.size(); from += batch) {
        batches.add(records.subList(from, from + batch));
      }
      LongAdder appended = new LongAdder();
      LongAccumulator lastAck = new LongAccumulator(Math::max, 0);
      AtomicLong next = new AtomicLong();
      Latencies acks = new Latencies();
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      List<Thread> appenders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread appender = new Thread(() -> {
          Latencies latencies = new Latencies();
          while (System.nanoTime() < deadline) {
            List<LogRecord> chunk = batches.get((int) (next.getAndIncrement() % batches.size()));
            long before = System.nanoTime();
            log.append(FraudProject.SOURCE, chunk);
            long after = System.nanoTime();
            latencies.record(after - before);
            lastAck.accumulate(after);
            appended.add(chunk.size());
          }
          acks.add(latencies);
        }, "appender-" + t);
        appender.start();
        appenders.add(appender);
      }
      for (Thread appender : appenders) {
        appender.join();
      }
      double rate = appended.sum() / ((lastAck.get() - start) / 1e9);
      Results.say("%-28s %,.0f events/s (%,d events); ack p50 %.1f ms p99 %.1f ms", row, rate,
          appended.sum(), acks.millis(50), acks.millis(99));
      emit(row, rate, acks);
    }
  }

  /** The pool's events as the group committer would write them to the log. */
  private static List<LogRecord> records(Pool pool) {
    EventRecordBytes encoder = new EventRecordBytes(FraudProject.repository().source(FraudProject.SOURCE).orElseThrow());
    List<LogRecord> records = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (List<Map<String, Object>> batch : pool.maps()) {
      for (Map<String, Object> event : batch) {
        records.add(encoder.record(event, records.size() + 1, now));
      }
    }
    double bytes = records.stream().mapToInt(record -> record.key().length + record.value().length).average().orElse(0);
    Results.say("raw log peer: %,d records, %.0f bytes of key and value on average", records.size(), bytes);
    return records;
  }

  private static Pool pool(int cards, int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<List<Map<String, Object>>> maps = new ArrayList<>(POOL_BATCHES);
    List<byte[]> lines = new ArrayList<>(POOL_BATCHES);
    Pool pool = new Pool(maps, lines, cards, batch);
    for (int b = 0; b < POOL_BATCHES; b++) {
      List<Map<String, Object>> events = new ArrayList<>(batch - 1);
      java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < batch - 1; i++) {
        Map<String, Object> event = pool.event(random, null);
        events.add(event);
        text.writeBytes(ndjson(event));
      }
      maps.add(events);
      lines.add(text.toByteArray());
    }
    return pool;
  }

  private static String card(int rank) {
    return String.format(Locale.ROOT, "card-%06d", rank);
  }

  private static byte[] ndjson(Map<String, Object> event) {
    return String.format(Locale.ROOT, "{\"card_id\":\"%s\",\"event_time\":%d,\"amount\":%s,\"merchant\":\"%s\",\"items\":%d}%n",
        event.get("card_id"), (Long) event.get("event_time"), event.get("amount"), event.get("merchant"),
        (Long) event.get("items")).getBytes(StandardCharsets.UTF_8);
  }
}
