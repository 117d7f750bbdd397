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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A throwaway measurement, not a test: the store's read against the same command sent raw through
 * Lettuce's synchronous API on a connection of its own, one thread, closed loop, on the Redis at
 * 127.0.0.1:6379. Writes {@code keys} entities of 2 KB values to a fresh namespace, then times a
 * one-key read ({@code GET}) and a 20-key read ({@code MGET}) both ways, alternating rounds, and
 * deletes the namespace. Run with the module's test classpath: {@code java -cp ...
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
        long storeOne =
            time(reads, i -> store.read(VIEW, List.of(keys[i % keyCount])).get(0).length);
        long rawOne = time(reads, i -> commands.get(rawKeys[i % keyCount]).length);
        long storeTwenty = time(reads / 4, i -> store.read(VIEW, twenty(keys, i)).size());
        long rawTwenty = time(reads / 4, i -> commands.mget(twenty(rawKeys, i)).size());
        System.out.printf(
            "round %d: 1 key store %d ns, raw GET %d ns (%.2fx); 20 keys store %d ns,"
                + " raw MGET %d ns (%.2fx)%n",
            round,
            storeOne,
            rawOne,
            (double) storeOne / rawOne,
            storeTwenty,
            rawTwenty,
            (double) storeTwenty / rawTwenty);
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

  /** Nanoseconds per read. */
  private static long time(int reads, Read read) {
    long sink = 0;
    long start = System.nanoTime();
    for (int i = 0; i < reads; i++) {
      sink += read.apply(i * 7919);
    }
    long perRead = (System.nanoTime() - start) / reads;
    return sink == -1 ? 0 : perRead;
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
