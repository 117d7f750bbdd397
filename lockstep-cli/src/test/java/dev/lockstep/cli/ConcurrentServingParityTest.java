package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.parity.FeatureLogger;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.ops.parity.Replay;
import dev.lockstep.ops.parity.ReplayReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity invariant under production conditions (issue 13): many threads read the same hot cards,
 * one vector at a time and in batches of four, while a producer pushes events for those cards, some
 * dated up to the source's future bound ahead of the server's clock. Every served vector is logged
 * and rebuilt offline in AS_OF_INGEST mode: not one value may differ and not one read may fail. Run
 * on the embedded (RocksDB) and the Redis online store.
 */
class ConcurrentServingParityTest {
  private static final String SERVICE = "fraud_model";
  private static final int FEATURES = 6;
  private static final int READERS = 8;
  private static final int HOT_CARDS = 12;
  private static final long SERVED_AT_LEAST = 200_000;
  /** Readers go on until this many events were pushed too: reads racing the applier are the point. */
  private static final long PUSHED_AT_LEAST = 12_000;
  private static final long MAX_FUTURE_MILLIS = 60_000;
  private static final long RUN_AT_MOST_MILLIS = 150_000;
  private static final long PUSH_PAUSE_MILLIS = 40;

  @TempDir Path repo;

  @Test
  void manyReadersOfHotCardsWithEventsAheadOfTheClockReplayExactlyOnTheEmbeddedStore() throws Exception {
    run();
  }

  @Test
  void manyReadersOfHotCardsWithEventsAheadOfTheClockReplayExactlyOnRedis() throws Exception {
    Files.writeString(repo.resolve("lockstep.yaml"),
        "online: {backend: redis, namespace: " + Distributed.namespace() + "}\n");
    run();
  }

  private void run() throws Exception {
    ReplayParityTest.copyFraudExample(repo);
    Path card = repo.resolve("card.yaml");
    Files.writeString(card, Files.readString(card).replace("    event_time: ts\n", "    event_time: ts\n    max_future: 1m\n"));
    assertThat(Files.readString(card)).contains("max_future: 1m");
    Path data = repo.resolve("data");
    Instant now = Instant.now();
    Cli.Result generated = Cli.run("generate-payments", "--events", "20000", "--seed", "13",
        "--start", now.minus(Duration.ofDays(3)).toString(), "--days", "3", "--out", data.toString());
    assertThat(generated.exitCode()).as(generated.err()).isZero();

    AtomicLong served = new AtomicLong();
    AtomicLong pushed = new AtomicLong();
    AtomicLong future = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.ingest("payments", data.resolve("payments.csv"));
      OnlineRuntime online = lockstep.online();
      online.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET);
      online.startStreaming();
      FeatureClient client = online.client();
      List<String> hot = new ArrayList<>();
      for (int i = 0; i < HOT_CARDS; i++) {
        hot.add(String.format("card-%04d", i));
      }
      try (FeatureLogger logger = FeatureLogger.start(lockstep, online, Set.of(SERVICE))) {
        // readers pause while the log's queue is more than half full: the logger drops vectors it
        // cannot buffer (by design, counted), and this test needs every served vector in the log
        LongSupplier backlog = logger::buffered;
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_AT_MOST_MILLIS);
        Thread producer = new Thread(() -> {
          Random random = new Random(1313);
          while (!stop.get()) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
              events.add(event(random, hot, future));
            }
            try {
              int accepted = client.push("payments", events).accepted();
              pushed.addAndGet(accepted);
            } catch (RuntimeException e) {
              failures.incrementAndGet();
              note(firstFailures, "push: " + e.getMessage());
            }
            sleep(PUSH_PAUSE_MILLIS);
          }
        }, "stress-producer");
        CountDownLatch done = new CountDownLatch(READERS);
        for (int r = 0; r < READERS; r++) {
          Random random = new Random(700 + r);
          Thread reader = new Thread(() -> {
            try {
              int reads = 0;
              while ((served.get() < SERVED_AT_LEAST || pushed.get() < PUSHED_AT_LEAST)
                  && System.nanoTime() < deadline && !stop.get()) {
                if (++reads % 256 == 0) {
                  while (backlog.getAsLong() > FeatureLogger.CAPACITY / 2 && !stop.get()) {
                    sleep(5);
                  }
                }
                try {
                  if (random.nextBoolean()) {
                    client.features(FeatureRequest.forService(SERVICE, card(hot.get(random.nextInt(HOT_CARDS)))));
                    served.incrementAndGet();
                  } else {
                    List<Map<String, Object>> entities = new ArrayList<>(4);
                    for (int e = 0; e < 4; e++) {
                      entities.add(card(hot.get(random.nextInt(HOT_CARDS))));
                    }
                    client.features(BatchFeatureRequest.forService(SERVICE, entities));
                    served.addAndGet(4);
                  }
                } catch (RuntimeException e) {
                  failures.incrementAndGet();
                  note(firstFailures, "read: " + e.getMessage());
                }
              }
            } finally {
              done.countDown();
            }
          }, "stress-reader-" + r);
          reader.start();
        }
        long started = System.nanoTime();
        producer.start();
        done.await(RUN_AT_MOST_MILLIS + 60_000, TimeUnit.MILLISECONDS);
        stop.set(true);
        producer.join(60_000);
        System.out.printf("stress: %,d vectors served, %,d events pushed (%,d ahead of the clock), %,d failures in %.1f s%n",
            served.get(), pushed.get(), future.get(), failures.get(), (System.nanoTime() - started) / 1e9);
        online.awaitApplied(Duration.ofSeconds(60));
        logger.flush();
        assertThat(logger.dropped()).isZero();
        assertThat(logger.logged()).isEqualTo(served.get());
      }
      online.flushOffline();

      assertThat(firstFailures).as("failed reads and pushes").isEmpty();
      assertThat(failures.get()).isZero();
      assertThat(served.get()).as("vectors served").isGreaterThanOrEqualTo(SERVED_AT_LEAST);
      assertThat(pushed.get()).as("events pushed").isGreaterThanOrEqualTo(PUSHED_AT_LEAST);
      assertThat(future.get()).as("events dated ahead of the clock").isGreaterThan(1_000);

      ReplayReport report = Replay.replay(lockstep, SERVICE, Optional.empty(), Optional.empty());
      System.out.printf("stress: replay of %,d vectors: %,d mismatches%n", report.vectors(), report.mismatches());
      assertThat(report.examples()).as("mismatches").isEmpty();
      assertThat(report.mismatches()).isZero();
      assertThat(report.vectors()).isEqualTo(served.get());
      assertThat(report.values()).isEqualTo(served.get() * FEATURES);
    }
  }

  /**
   * A payment of a hot card: mostly recent, some up to ten minutes late, a fifth dated ahead of the
   * clock by up to the future bound (less a second, so the producer's clock reading never pushes
   * one beyond it).
   */
  private static Map<String, Object> event(Random random, List<String> hot, AtomicLong future) {
    long now = System.currentTimeMillis();
    int kind = random.nextInt(10);
    long ts;
    if (kind < 2) {
      ts = now + random.nextLong(MAX_FUTURE_MILLIS - 1_000);
      future.incrementAndGet();
    } else if (kind < 4) {
      ts = now - random.nextLong(600_000);
    } else {
      ts = now - random.nextLong(3_000);
    }
    Map<String, Object> event = new HashMap<>();
    event.put("card_id", hot.get(random.nextInt(hot.size())));
    event.put("ts", ts);
    event.put("amount", random.nextInt(8) == 0 ? null : random.nextInt(50_000) / 100.0);
    event.put("merchant", "m-" + random.nextInt(30));
    event.put("items", 1L + random.nextInt(4));
    return event;
  }

  private static Map<String, Object> card(String id) {
    return Map.of("card_id", id);
  }

  private static void note(ConcurrentLinkedQueue<String> failures, String message) {
    if (failures.size() < 5) {
      failures.add(message);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
