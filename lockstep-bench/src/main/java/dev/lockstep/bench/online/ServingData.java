package dev.lockstep.bench.online;

import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.examples.Payment;
import dev.lockstep.examples.PaymentsGenerator;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The loaded project the read and HTTP benchmarks serve: {@code events} deterministic payments
 * ({@code PaymentsGenerator}, skewed over {@code cards} cards) pushed through the embedded client
 * with event times over the 30 days before the load, so every window holds some. Loading takes
 * tens of seconds (the applier is the bottleneck), so a project loaded less than
 * {@link #MAX_AGE} ago is reused by later runs: the state is the same, only the serving time moves.
 */
final class ServingData implements AutoCloseable {
  static final Duration MAX_AGE = Duration.ofHours(2);
  private static final int FORMAT = 1;
  private static final int LOAD_BATCH = 5_000;
  private static final int PUSHERS = 4;
  private static final String CARD_FILE = "cards.txt";

  private final Lockstep lockstep;
  private final String[] cards;

  private ServingData(Lockstep lockstep, String[] cards) {
    this.lockstep = lockstep;
    this.cards = cards;
  }

  /** The project for these parameters under {@code root}, loaded now or reused; streaming is on. */
  static ServingData open(Path root, long events, int cards, long seed) throws Exception {
    Path directory = root.resolve("project-e" + events + "-c" + cards + "-s" + seed);
    if (Files.exists(marker(directory))) {
      ServingData reused = reuse(directory);
      if (reused != null) {
        return reused;
      }
    }
    return load(directory, null, events, cards, seed);
  }

  /**
   * A project loaded now in {@code directory} (deleted first) on the backends {@code config} (a
   * {@code lockstep.yaml}; null for the embedded ones) selects; streaming is on. Never reused: an
   * external online store's keys may be gone by the next run.
   */
  static ServingData load(Path directory, String config, long events, int cards, long seed) throws Exception {
    Lockstep lockstep = FraudProject.create(directory, config);
    try {
      OnlineRuntime online = lockstep.online();
      online.startStreaming();
      String[] loaded = pushEvents(online, events, cards, seed);
      Files.write(directory.resolve(CARD_FILE), Arrays.asList(loaded));
      Properties properties = new Properties();
      properties.setProperty("format", String.valueOf(FORMAT));
      properties.setProperty("loaded_at", String.valueOf(System.currentTimeMillis()));
      try (Writer writer = Files.newBufferedWriter(marker(directory))) {
        properties.store(writer, "Online benchmark project, loaded");
      }
      return new ServingData(lockstep, loaded);
    } catch (Exception | Error e) {
      lockstep.close();
      throw e;
    }
  }

  private static Path marker(Path directory) {
    return directory.resolve("loaded.properties");
  }

  /** The project in {@code directory} if it was loaded less than {@link #MAX_AGE} ago, else null. */
  private static ServingData reuse(Path directory) throws Exception {
    Path marker = marker(directory);
    Path cardFile = directory.resolve(CARD_FILE);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(marker)) {
      properties.load(reader);
    }
    long loadedAt = Long.parseLong(properties.getProperty("loaded_at", "0"));
    long age = System.currentTimeMillis() - loadedAt;
    if (!String.valueOf(FORMAT).equals(properties.getProperty("format")) || age >= MAX_AGE.toMillis()) {
      return null;
    }
    Results.say("Reusing the project loaded %.1f min ago in %s", age / 60_000.0, directory);
    Lockstep lockstep = Lockstep.open(directory);
    lockstep.online().startStreaming();
    return new ServingData(lockstep, Files.readAllLines(cardFile).toArray(String[]::new));
  }

  Lockstep lockstep() {
    return lockstep;
  }

  OnlineRuntime online() {
    return lockstep.online();
  }

  /** The cards that have events, sorted. */
  String[] cards() {
    return cards;
  }

  /** Fetches every card once, so every state is in the runtime's decoded-state cache. */
  void touchAll() {
    touchAll(online().client(), cards);
  }

  /** Fetches every one of {@code cards} once through {@code client}. */
  static void touchAll(FeatureClient client, String[] cards) {
    long start = System.nanoTime();
    for (String card : cards) {
      client.features(FeatureRequest.forService(FraudProject.SERVICE, Map.of("card_id", card)));
    }
    Results.say("Fetched all %,d cards once in %.1f s", cards.length, (System.nanoTime() - start) / 1e9);
  }

  @Override
  public void close() {
    lockstep.close();
  }

  /**
   * Pushes the payments and waits until they are applied and appended offline.
   *
   * @return the cards that have events, sorted
   */
  private static String[] pushEvents(OnlineRuntime online, long events, int cards, long seed) throws Exception {
    long now = System.currentTimeMillis();
    PaymentsGenerator generator = PaymentsGenerator.builder()
        .seed(seed)
        .events(events)
        .cards(cards)
        .start(Instant.ofEpochMilli(now - Duration.ofDays(30).toMillis()))
        .span(Duration.ofDays(30).minusMinutes(5))
        .build();
    FeatureClient client = online.client();
    Set<String> seen = new HashSet<>();
    ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
    Semaphore inFlight = new Semaphore(PUSHERS * 2);
    List<Future<PushResult>> results = new ArrayList<>();
    long start = System.nanoTime();
    try {
      List<Map<String, Object>> batch = new ArrayList<>(LOAD_BATCH);
      for (Payment payment : generator) {
        seen.add(payment.cardId());
        batch.add(FraudProject.event(payment.cardId(), payment.eventTime(), payment.amount(), payment.merchant(),
            payment.items()));
        if (batch.size() == LOAD_BATCH) {
          results.add(submit(pool, inFlight, client, batch));
          batch = new ArrayList<>(LOAD_BATCH);
        }
      }
      if (!batch.isEmpty()) {
        results.add(submit(pool, inFlight, client, batch));
      }
      long accepted = 0;
      for (Future<PushResult> result : results) {
        accepted += result.get().accepted();
      }
      double pushed = (System.nanoTime() - start) / 1e9;
      FraudProject.awaitApplied(online, Duration.ofMinutes(30));
      double watermark = (System.nanoTime() - start) / 1e9;
      long appliedThen = FraudProject.applied(online);
      FraudProject.awaitCounted(online, accepted, Duration.ofMinutes(30));
      double applied = (System.nanoTime() - start) / 1e9;
      long offline = online.flushOffline();
      Results.say("Loaded %,d events (%,d accepted) of %,d cards: pushed in %.1f s, all applied after %.1f s"
              + " (awaitApplied returned after %.1f s with %,d applied), %,d more appended offline after %.1f s",
          events, accepted, seen.size(), pushed, applied, watermark, appliedThen, offline,
          (System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
    String[] sorted = seen.toArray(String[]::new);
    Arrays.sort(sorted);
    return sorted;
  }

  private static Future<PushResult> submit(ExecutorService pool, Semaphore inFlight, FeatureClient client,
      List<Map<String, Object>> batch) throws InterruptedException {
    inFlight.acquire();
    return pool.submit(() -> {
      try {
        return client.push(FraudProject.SOURCE, batch);
      } finally {
        inFlight.release();
      }
    });
  }
}
