package dev.lockstep.bench.online;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.bench.PaymentsFixture;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.config.ProjectConfig;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.registry.Plan;
import dev.lockstep.engine.sweep.FeatureSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The project the online benchmarks serve: the 20-feature fraud set of the training-set benchmark
 * ({@link PaymentsFixture#twentyFeatures()}: count, sum, mean, max and var_samp of the amount over
 * 1 h, 1 d, 7 d and 30 d) as the feature view {@value #VIEW} and the service {@value #SERVICE}, over
 * the pushed source {@value #SOURCE} ({@code card_id}, {@code event_time}, {@code amount},
 * {@code merchant}, {@code items}).
 */
final class FraudProject {
  static final String SOURCE = "payments";
  static final String VIEW = "card";
  static final String SERVICE = "fraud20";
  /** The feature the streaming benchmark polls to see an event become servable. */
  static final String COUNT_FEATURE = "card:txn_count_1h";
  static final String COUNT_COLUMN = "card__txn_count_1h";

  private FraudProject() {}

  static FeatureRepository repository() {
    FeatureView.Builder view = FeatureView.builder(VIEW, SOURCE);
    List<String> references = new ArrayList<>();
    for (FeatureSpec spec : PaymentsFixture.twentyFeatures()) {
      view.feature(WindowedFeature.of(spec.name(), spec.aggregation(), spec.window()));
      references.add(VIEW + ":" + spec.name());
    }
    Source payments = Source.builder(SOURCE, SourceFormat.JSONL)
        .entity("card", "card_id")
        .eventTime("event_time")
        .column("card_id", ValueType.STRING)
        .column("amount", ValueType.DOUBLE)
        .column("merchant", ValueType.STRING)
        .column("items", ValueType.LONG)
        .build();
    return FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(payments)
        .featureView(view.build())
        .featureService(FeatureService.of(SERVICE, references.toArray(String[]::new)))
        .build();
  }

  /** A new project in {@code directory} (deleted first) with the definitions applied; streaming is off. */
  static Lockstep create(Path directory) throws IOException {
    return create(directory, null);
  }

  /**
   * A new project in {@code directory} (deleted first) whose {@code lockstep.yaml} is {@code config}
   * (none when null: the embedded backends), with the definitions applied; streaming is off.
   */
  static Lockstep create(Path directory, String config) throws IOException {
    deleteRecursively(directory);
    Files.createDirectories(directory);
    if (config != null) {
      Files.writeString(directory.resolve(ProjectConfig.FILE), config);
    }
    Lockstep lockstep = Lockstep.open(directory);
    Plan plan = lockstep.registry().plan(repository());
    lockstep.apply(plan);
    return lockstep;
  }

  /** Where {@link Lockstep#online()} keeps the RocksDB online store of a project in {@code directory}. */
  static Path onlineStoreDirectory(Lockstep lockstep) {
    return lockstep.dataDirectory().resolve("online");
  }

  /** One pushed event, as the HTTP API and the Java client take it. */
  static Map<String, Object> event(String card, long eventTime, Double amount, String merchant, long items) {
    Map<String, Object> event = new HashMap<>(8);
    event.put("card_id", card);
    event.put("event_time", eventTime);
    event.put("amount", amount);
    event.put("merchant", merchant);
    event.put("items", items);
    return event;
  }

  /**
   * Waits until every accepted event is applied, without {@link OnlineRuntime#awaitApplied}'s spin
   * taking a core from the applier for the whole wait.
   */
  static void awaitApplied(OnlineRuntime online, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        online.awaitApplied(Duration.ofMillis(1));
        return;
      } catch (LockstepException e) {
        if (!online.healthy() || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  /**
   * Waits until the runtime's counters say {@code accepted} events of the source were applied: a
   * second check besides the watermark, so a benchmark never measures a half-applied load.
   */
  static void awaitCounted(OnlineRuntime online, long accepted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (applied(online) < accepted) {
      if (!online.healthy() || System.nanoTime() > deadline) {
        throw new LockstepException("Cannot wait for " + accepted + " events to be applied: " + online.status());
      }
      Thread.sleep(20);
    }
  }

  /** The number of events of the source the applier has applied, from the runtime's status. */
  static long applied(OnlineRuntime online) {
    Object status = online.status().get(SOURCE);
    Object applied = status instanceof Map<?, ?> source ? source.get("applied") : null;
    return applied instanceof Number number ? number.longValue() : 0;
  }

  /**
   * The bytes Lockstep keys an entity by in the online store and the event log for a single string
   * join key (tag 3, 4-byte big-endian length, UTF-8), as core's {@code EntityKeys} writes them.
   */
  static byte[] keyBytes(String card) {
    byte[] utf8 = card.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(5 + utf8.length).put((byte) 3).putInt(utf8.length).put(utf8).array();
  }

  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
