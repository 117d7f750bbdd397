package dev.lockstep.bench.online;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.OnlineStore;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Benchmarks of the distributed backends, three sections in one run:
 * <ol>
 *   <li>{@value #READ}: the 20-feature vector of {@link FraudProject} read from the Redis online
 *       store ({@code online: {backend: redis}}; the data of {@link ServingData}, loaded afresh into
 *       a new namespace) with the runtime's decoded-state cache off ({@code -Dlockstep.state-cache=0}:
 *       every call is a Redis {@code GET}, a decode and the evaluation), and on, for information.
 *       <b>Peer</b>: a raw {@code GET} of the same value keys of the same cards through Lettuce
 *       (byte-array codec, one connection, synchronous): bytes only. The fraud service reads one
 *       view, so one key per vector and no {@code MGET}. For the breakdown, the same keys read
 *       through the backend's {@code OnlineStore.read} too (bytes only). Timed call by call on 1
 *       and 2 threads ({@link ClosedLoop}).
 *   <li>{@value #INGEST}: a backlog of {@code --feed-records} JSON payments produced to a fresh
 *       topic of a local Kafka broker ({@code LocalKafkaBroker}, in this JVM) with {@code acks=all},
 *       then a project with {@code event_log: kafka}, {@code online: redis} and {@code
 *       streams.payments} on that topic follows it: the time from {@code followStreams()} until
 *       every record is applied (the runtime's {@code applied} counter reaching the backlog, then
 *       {@code awaitApplied}), i.e. topic → Kafka event log → applier → Redis.
 *   <li>{@value #SERVABLE}: then, in the same project, an open-loop producer at each of {@code
 *       --rates} events/s for {@code --rate-seconds} with {@link ServableProbes}: the latency from
 *       the producer's {@code send} of a probe (the only event of a fresh card) to the first fetch
 *       through the embedded client that sees its count of 1.
 * </ol>
 * Every Redis key of the namespaces used is deleted at the end, and the broker's data with it.
 *
 * <p>Usage: {@code DistributedBenchmark --dir DIR [--redis-uri URI] [--cards N] [--events N]
 * [--seconds S] [--warmup-seconds S] [--feed-records N] [--feed-cards N] [--rates N,N]
 * [--rate-seconds S] [--drain-seconds S] [--probes-per-second N] [--parts read,ingest,servable]
 * [--seed S] [--quick]}. Prints {@link Results} lines.
 */
public final class DistributedBenchmark {
  static final String SECTION = "distributed";
  static final String READ = SECTION + "/redis-read";
  static final String INGEST = SECTION + "/kafka-ingest";
  static final String SERVABLE = SECTION + "/kafka-servable";
  static final String COLD = "lockstep redis (cold)";
  static final String CACHED = "lockstep redis (cached)";
  static final String RAW = "raw redis GET";
  static final String STORE = "redis online store SPI read";
  private static final String DEFAULT_REDIS = "redis://127.0.0.1:6379";

  private DistributedBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse("DistributedBenchmark", args, Set.of("dir", "redis-uri", "cards", "events",
        "seconds", "warmup-seconds", "feed-records", "feed-cards", "rates", "rate-seconds", "drain-seconds",
        "probes-per-second", "parts", "seed"));
    Path dir = options.path("dir", "/tmp/lockstep-online-bench/distributed");
    String redisUri = options.string("redis-uri", DEFAULT_REDIS);
    List<String> parts = Arrays.stream(options.string("parts", "read,ingest,servable").split(","))
        .map(String::trim).toList();
    long seed = options.number("seed", 1, 1);
    Results.say("Distributed backends (%s) against %s; load %s", String.join(", ", parts), redisUri,
        Results.loadAverage());
    if (parts.contains("read")) {
      read(dir, redisUri, (int) options.number("cards", 25_000, 5_000), options.number("events", 500_000, 50_000),
          options.seconds("seconds", 6, 2), options.seconds("warmup-seconds", 2, 1), seed);
    }
    if (parts.contains("ingest") || parts.contains("servable")) {
      long records = parts.contains("ingest") ? options.number("feed-records", 200_000, 20_000) : 0;
      List<Long> rates = parts.contains("servable") ? options.numbers("rates", "1000,5000", "500,2000") : List.of();
      kafka(dir, redisUri, records, (int) options.number("feed-cards", 25_000, 5_000), rates,
          options.seconds("rate-seconds", 15, 4), options.seconds("drain-seconds", 15, 10),
          options.number("probes-per-second", 20, 20), seed);
    }
    Results.say("load average at the end: %s", Results.loadAverage());
  }

  /** The read lines: raw GET, then Lockstep with the state cache off, then on. */
  private static void read(Path dir, String redisUri, int cards, long events, double seconds, double warmup,
      long seed) throws Exception {
    String namespace = RedisNamespace.fresh("lockstep-bench-read");
    Path project = dir.resolve("redis-project");
    String config = "online: {backend: redis, uri: '" + redisUri + "', namespace: " + namespace + "}\n";
    Results.say("Redis read: %,d events over %,d cards into namespace %s, %.1f s per measurement after %.1f s of"
        + " warm-up", events, cards, namespace, seconds, warmup);
    try (RedisNamespace redis = RedisNamespace.connect(redisUri, namespace)) {
      try {
        String[] loaded;
        try (ServingData data = ServingData.load(project, config, events, cards, seed)) {
          loaded = data.cards();
        }
        Results.say("Redis namespace %s holds %,d keys", namespace, redis.count());
        measureRaw(redis, loaded, seconds, warmup, seed);
        measureStore(redisUri, namespace, loaded, seconds, warmup, seed);
        String previous = System.getProperty(OnlineRuntime.CACHE_CAPACITY_PROPERTY);
        System.setProperty(OnlineRuntime.CACHE_CAPACITY_PROPERTY, "0");
        try {
          measureLockstep(project, COLD, loaded, false, seconds, warmup, seed);
        } finally {
          if (previous == null) {
            System.clearProperty(OnlineRuntime.CACHE_CAPACITY_PROPERTY);
          } else {
            System.setProperty(OnlineRuntime.CACHE_CAPACITY_PROPERTY, previous);
          }
        }
        measureLockstep(project, CACHED, loaded, true, seconds, warmup, seed);
        for (int threads : new int[] {1, 2}) {
          Results.peer(READ, COLD + " " + threads + "t", RAW + " " + threads + "t");
          Results.peer(READ, CACHED + " " + threads + "t", RAW + " " + threads + "t");
          Results.peer(READ, STORE + " " + threads + "t", RAW + " " + threads + "t");
        }
      } finally {
        Results.say("Deleted %,d keys of Redis namespace %s", redis.deleteAll(), namespace);
        FraudProject.deleteRecursively(project);
      }
    }
  }

  /** The peer: each loaded card's value key read with GET; every key once first (a check and a warm-up). */
  private static void measureRaw(RedisNamespace redis, String[] loaded, double seconds, double warmup, long seed)
      throws Exception {
    byte[][] keys = new byte[loaded.length][];
    for (int i = 0; i < loaded.length; i++) {
      keys[i] = redis.valueKey(FraudProject.VIEW, FraudProject.keyBytes(loaded[i]));
    }
    RedisCommands<byte[], byte[]> commands = redis.commands();
    ClosedLoop.Call get = entity -> {
      byte[] value = commands.get(keys[entity]);
      return value == null ? 0 : value.length;
    };
    long found = 0;
    long bytes = 0;
    for (int i = 0; i < keys.length; i++) {
      long length = get.call(i);
      found += length > 0 ? 1 : 0;
      bytes += length;
    }
    if (found < keys.length) {
      throw new IllegalStateException("Cannot measure raw Redis reads: only " + found + " of " + keys.length
          + " value keys such as '" + new String(keys[0], java.nio.charset.StandardCharsets.UTF_8)
          + "' exist (the Redis store's key layout differs from docs/redis.md: fix RedisNamespace.valueKey)");
    }
    Results.say("raw Redis: all %,d value keys found, %.0f bytes of state per card on average", found,
        bytes / (double) found);
    Results.emit(READ, RAW, "state_bytes_mean", bytes / (double) found);
    ClosedLoop.measure(READ, RAW, get, keys.length, seconds, warmup, seed);
  }

  /**
   * For the breakdown: the same keys through the Redis backend's {@code OnlineStore.read} (its
   * {@code MGET}, dispatch and deadline; no decoding, no evaluation).
   */
  private static void measureStore(String redisUri, String namespace, String[] loaded, double seconds,
      double warmup, long seed) throws Exception {
    List<List<EntityKey>> keys = new ArrayList<>(loaded.length);
    for (String card : loaded) {
      keys.add(List.of(EntityKey.of(FraudProject.keyBytes(card))));
    }
    try (OnlineStore store = Backends.load(OnlineStore.class, "redis", Map.of("uri", redisUri, "namespace",
        namespace))) {
      ClosedLoop.measure(READ, STORE, entity -> {
        byte[] value = store.read(FraudProject.VIEW, keys.get(entity)).get(0);
        return value == null ? 0 : value.length;
      }, loaded.length, seconds, warmup, seed);
    }
  }

  /** Lockstep's embedded client on the loaded project, reopened (so the property in force now applies). */
  private static void measureLockstep(Path project, String system, String[] loaded, boolean touchAll,
      double seconds, double warmup, long seed) throws Exception {
    try (Lockstep lockstep = Lockstep.open(project)) {
      OnlineRuntime online = lockstep.online();
      online.startStreaming();
      FeatureClient client = online.client();
      if (touchAll) {
        ServingData.touchAll(client, loaded);
      }
      SplittableRandom random = new SplittableRandom(seed);
      int present = 0;
      int sample = 1_000;
      for (int i = 0; i < sample; i++) {
        present += vector(client, loaded[random.nextInt(loaded.length)]).status("card__txn_count_30d")
            == FeatureStatus.PRESENT ? 1 : 0;
      }
      Results.say("%s (state cache %s): %d of %d sampled vectors have a PRESENT 30-day count", system,
          System.getProperty(OnlineRuntime.CACHE_CAPACITY_PROPERTY, "default"), present, sample);
      ClosedLoop.measure(READ, system, entity -> vector(client, loaded[entity]).status(FraudProject.COUNT_COLUMN)
          == FeatureStatus.PRESENT ? 1 : 0, loaded.length, seconds, warmup, seed);
    }
  }

  private static FeatureVector vector(FeatureClient client, String card) {
    return client.features(FeatureRequest.forService(FraudProject.SERVICE, Map.of("card_id", card)));
  }

  /** The Kafka lines: the backlog's ingest, then the open-loop rates, in one project on one broker. */
  private static void kafka(Path dir, String redisUri, long records, int cards, List<Long> rates,
      double rateSeconds, double drainSeconds, long probesPerSecond, long seed) throws Exception {
    String namespace = RedisNamespace.fresh("lockstep-bench-feed");
    String topic = namespace + "-payments";
    Path project = dir.resolve("kafka-project");
    try (KafkaFeed feed = KafkaFeed.start(dir.resolve("kafka-broker"));
        RedisNamespace redis = RedisNamespace.connect(redisUri, namespace)) {
      try {
        feed.createTopic(topic, 1);
        KafkaFeedLines lines = new KafkaFeedLines(feed, topic, cards, seed);
        if (records > 0) {
          lines.produceBacklog(records);
        }
        String servers = feed.bootstrapServers();
        String config = "online: {backend: redis, uri: '" + redisUri + "', namespace: " + namespace + "}\n"
            + "event_log: {backend: kafka, bootstrap.servers: '" + servers + "', namespace: " + namespace + "}\n"
            + "streams:\n"
            + "  " + FraudProject.SOURCE + ": {backend: kafka, topic: " + topic + ", bootstrap.servers: '" + servers
            + "'}\n";
        try (Lockstep lockstep = FraudProject.create(project, config)) {
          OnlineRuntime online = lockstep.online();
          online.startStreaming();
          if (records > 0) {
            KafkaFeedLines.timeIngest(online, records, lockstep::followStreams, 600);
          } else {
            lockstep.followStreams();
          }
          for (long rate : rates) {
            lines.servable(online, rate, rateSeconds, drainSeconds, probesPerSecond);
          }
          Results.say("Feed project status at the end: %s", online.status());
        }
      } finally {
        Results.say("Deleted %,d keys of Redis namespace %s", redis.deleteAll(), namespace);
        FraudProject.deleteRecursively(project);
      }
    }
  }
}
