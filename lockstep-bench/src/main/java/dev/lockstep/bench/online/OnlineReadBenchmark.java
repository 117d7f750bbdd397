package dev.lockstep.bench.online;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.OnlineStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * In-process online reads: single-entity {@code client.features(FeatureRequest.forService("fraud20",
 * ...))} of 20 features, timed call by call with {@link System#nanoTime()} over uniformly random
 * loaded cards, on 1 and on 2 threads, after a warm-up. The peer, in the same run: the same keys'
 * state bytes read straight from the RocksDB online store through the {@code OnlineStore} SPI
 * ({@code Backends.load(OnlineStore.class, "rocksdb", ...)}, a RocksDB {@code Get}) with the
 * project closed — the floor: bytes only, no decoding, no evaluation. Before measuring, every card
 * is read once through each, so the runtime's decoded-state cache and RocksDB's block cache are warm
 * (the default 25 k cards fit both). The project is {@link ServingData}'s, reused across runs while fresh.
 *
 * <p>Usage: {@code OnlineReadBenchmark --dir DIR [--cards N] [--events N] [--seconds S]
 * [--warmup-seconds S] [--seed S] [--quick]}. Prints {@link Results} lines.
 */
public final class OnlineReadBenchmark {
  static final String SECTION = "read";

  private OnlineReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse("OnlineReadBenchmark", args,
        Set.of("dir", "cards", "events", "seconds", "warmup-seconds", "seed"));
    Path dir = options.path("dir", "/tmp/lockstep-online-bench/serving");
    int cards = (int) options.number("cards", 25_000, 10_000);
    long events = options.number("events", 500_000, 100_000);
    double seconds = options.seconds("seconds", 10, 1);
    double warmup = options.seconds("warmup-seconds", 5, 1);
    long seed = options.number("seed", 1, 1);
    Results.say("In-process read: %,d events over %,d cards, %.1f s per measurement after %.1f s of warm-up; load %s",
        events, cards, seconds, warmup, Results.loadAverage());

    String[] loaded;
    Path storeDirectory;
    try (ServingData data = ServingData.open(dir, events, cards, seed)) {
      loaded = data.cards();
      storeDirectory = FraudProject.onlineStoreDirectory(data.lockstep());
      data.touchAll();
      FeatureClient client = data.online().client();
      ClosedLoop.Call lockstepCall = entity -> {
        FeatureVector vector = client.features(
            FeatureRequest.forService(FraudProject.SERVICE, Map.of("card_id", loaded[entity])));
        return vector.status(FraudProject.COUNT_COLUMN) == FeatureStatus.PRESENT ? 1 : 0;
      };
      describePresence(client, loaded, seed);
      ClosedLoop.measure(SECTION, "lockstep", lockstepCall, loaded.length, seconds, warmup, seed);
    }

    EntityKey[] keys = new EntityKey[loaded.length];
    for (int i = 0; i < loaded.length; i++) {
      keys[i] = EntityKey.of(FraudProject.keyBytes(loaded[i]));
    }
    try (OnlineStore store = Backends.load(OnlineStore.class, "rocksdb", Map.of("dir", storeDirectory.toString()))) {
      ClosedLoop.Call rawCall = entity -> {
        byte[] value = store.read(FraudProject.VIEW, List.of(keys[entity])).get(0);
        return value == null ? 0 : value.length;
      };
      // one pass over every key warms RocksDB's block cache, as touchAll does the runtime's cache
      long found = 0;
      long bytes = 0;
      for (int i = 0; i < keys.length; i++) {
        long length = rawCall.call(i);
        found += length > 0 ? 1 : 0;
        bytes += length;
      }
      Results.say("raw RocksDB: %,d of %,d keys found, %.0f bytes of state per card on average",
          found, keys.length, bytes / (double) Math.max(1, found));
      Results.emit(SECTION, "raw rocksdb", "state_bytes_mean", bytes / (double) Math.max(1, found));
      ClosedLoop.measure(SECTION, "raw rocksdb", rawCall, loaded.length, seconds, warmup, seed);
    }
    for (int threads : new int[] {1, 2}) {
      Results.peer(SECTION, "lockstep " + threads + "t", "raw rocksdb " + threads + "t");
    }
    Results.say("load average at the end: %s", Results.loadAverage());
  }

  /** How many of a sample of served vectors have PRESENT counts: a check that state was loaded. */
  private static void describePresence(FeatureClient client, String[] loaded, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int present = 0;
    int sample = 1_000;
    for (int i = 0; i < sample; i++) {
      FeatureVector vector = client.features(FeatureRequest.forService(FraudProject.SERVICE,
          Map.of("card_id", loaded[random.nextInt(loaded.length)])));
      present += vector.status("card__txn_count_30d") == FeatureStatus.PRESENT ? 1 : 0;
    }
    Results.say("lockstep: %d of %d sampled vectors have a PRESENT 30-day count", present, sample);
  }
}
