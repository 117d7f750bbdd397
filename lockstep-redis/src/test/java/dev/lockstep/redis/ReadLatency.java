package dev.lockstep.redis;

import dev.lockstep.spi.Backends;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.OnlineStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A throwaway measurement, not a test: the store's read against the same command sent raw through
 * Lettuce's synchronous API on a connection of its own, one thread, closed loop, on the Redis at
 * 127.0.0.1:6379. Writes {@code keys} entities of 2 KB values to a fresh namespace, then times a
 * one-key read ({@code GET}) and a 20-key read ({@code MGET}) both ways, one call of each in turn
 * (medians), and deletes the namespace. Run with the module's test classpath: {@code java -cp ...
 * dev.lockstep.redis.ReadLatency [keys] [reads]}.
 */
final class ReadLatency {
  private static final String VIEW = "fraud";

  public static void main(String[] args) {
    int keyCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int reads = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    String namespace = RawRedis.newNamespace();
    EntityKey[] keys = new EntityKey[keyCount];
    byte[][] rawKeys = new byte[keyCount][];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = EntityKey.of("card-" + String.format("%08d", i));
      rawKeys[i] =
          (namespace + ":v:{" + HexFormat.of().formatHex(keys[i].bytes()) + "}:" + VIEW)
              .getBytes(StandardCharsets.UTF_8);
    }
    RedisClient client = RedisClient.create(RawRedis.URI);
    try (OnlineStore store =
            Backends.load(OnlineStore.class, "redis", Map.of("namespace", namespace));
        StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
      SplittableRandom random = new SplittableRandom(1);
      for (int first = 0; first < keyCount; first += 1000) {
        List<Entry> batch = new ArrayList<>();
        for (int i = first; i < Math.min(keyCount, first + 1000); i++) {
          byte[] value = new byte[2048];
          random.nextBytes(value);
          batch.add(new Entry(keys[i], value));
        }
        store.write(VIEW, batch);
      }
      RedisCommands<byte[], byte[]> commands = raw.sync();
      for (int round = 0; round < 5; round++) {
        long[] one =
            interleaved(
                reads,
                i -> store.read(VIEW, List.of(keys[i % keyCount])).get(0).length,
                i -> commands.get(rawKeys[i % keyCount]).length);
        long[] twenty =
            interleaved(
                reads / 4,
                i -> store.read(VIEW, twenty(keys, i)).size(),
                i -> commands.mget(twenty(rawKeys, i)).size());
        System.out.printf(
            "round %d: 1 key p50 store %d ns, raw GET %d ns (%.2fx); 20 keys p50 store %d ns,"
                + " raw MGET %d ns (%.2fx)%n",
            round,
            one[0],
            one[1],
            (double) one[0] / one[1],
            twenty[0],
            twenty[1],
            (double) twenty[0] / twenty[1]);
      }
    } finally {
      client.shutdown();
      RawRedis.deleteNamespace(namespace);
      System.exit(0);
    }
  }

  private interface Read {
    int apply(int index);
  }

  /**
   * The median nanoseconds of {@code store} and of {@code raw} calls, one call of each in turn, so
   * both see the same noise of a shared machine.
   */
  private static long[] interleaved(int reads, Read store, Read raw) {
    long[] storeTimes = new long[reads];
    long[] rawTimes = new long[reads];
    long sink = 0;
    for (int i = 0; i < reads; i++) {
      int index = i * 7919;
      // Whichever call comes second in a pair runs faster (a warm CPU), so the order alternates.
      Read first = i % 2 == 0 ? store : raw;
      Read second = i % 2 == 0 ? raw : store;
      long start = System.nanoTime();
      sink += first.apply(index);
      long middle = System.nanoTime();
      sink += second.apply(index);
      long end = System.nanoTime();
      storeTimes[i] = i % 2 == 0 ? middle - start : end - middle;
      rawTimes[i] = i % 2 == 0 ? end - middle : middle - start;
    }
    Arrays.sort(storeTimes);
    Arrays.sort(rawTimes);
    return new long[] {storeTimes[reads / 2], rawTimes[reads / 2], sink};
  }

  private static List<EntityKey> twenty(EntityKey[] keys, int seed) {
    List<EntityKey> result = new ArrayList<>(20);
    for (int i = 0; i < 20; i++) {
      result.add(keys[Math.floorMod(seed + i * 31, keys.length)]);
    }
    return result;
  }

  private static byte[][] twenty(byte[][] keys, int seed) {
    byte[][] result = new byte[20][];
    for (int i = 0; i < 20; i++) {
      result[i] = keys[Math.floorMod(seed + i * 31, keys.length)];
    }
    return result;
  }
}
