package dev.lockstep.bench.online;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The keys of one namespace of the Redis online store, read and deleted directly through Lettuce
 * (one connection, byte-array codec): the raw peer of the distributed read benchmark, and its
 * clean-up. The value key of an entity's state in a view is {@code
 * <namespace>:v:{<entity key bytes, lower-case hex>}:<view>}, as docs/redis.md lays it out.
 */
final class RedisNamespace implements AutoCloseable {
  private static final int SCAN_COUNT = 1_000;

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final String namespace;

  private RedisNamespace(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, String namespace) {
    this.client = client;
    this.connection = connection;
    this.namespace = namespace;
  }

  /**
   * Connects to the Redis at {@code uri} (e.g. {@code redis://127.0.0.1:6379}) for {@code namespace}.
   *
   * @throws RuntimeException if Redis cannot be reached
   */
  static RedisNamespace connect(String uri, String namespace) {
    RedisURI parsed = RedisURI.create(uri);
    parsed.setTimeout(Duration.ofSeconds(30));
    RedisClient client = RedisClient.create(parsed);
    try {
      return new RedisNamespace(client, client.connect(ByteArrayCodec.INSTANCE), namespace);
    } catch (RuntimeException e) {
      client.shutdown();
      throw new IllegalStateException("Cannot connect to Redis at " + uri + ": " + e.getMessage()
          + " (start redis-server, or pass --redis-uri)", e);
    }
  }

  /** A namespace no earlier run used: {@code <prefix>-<random hex>}. */
  static String fresh(String prefix) {
    return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  String namespace() {
    return namespace;
  }

  /** The value key of {@code entityKey}'s state in {@code view}. */
  byte[] valueKey(String view, byte[] entityKey) {
    return (namespace + ":v:{" + HexFormat.of().formatHex(entityKey) + "}:" + view).getBytes(StandardCharsets.UTF_8);
  }

  /** Synchronous commands on the one connection (thread-safe: concurrent callers are pipelined on it). */
  RedisCommands<byte[], byte[]> commands() {
    return connection.sync();
  }

  /** How many keys the namespace holds. */
  long count() {
    return forEachChunk(chunk -> {});
  }

  /** Deletes every key of the namespace; returns how many there were. */
  long deleteAll() {
    return forEachChunk(chunk -> commands().unlink(chunk.toArray(byte[][]::new)));
  }

  private interface Chunk {
    void accept(List<byte[]> keys);
  }

  private long forEachChunk(Chunk action) {
    ScanArgs args = ScanArgs.Builder.matches(namespace + ":*").limit(SCAN_COUNT);
    long keys = 0;
    KeyScanCursor<byte[]> cursor = commands().scan(args);
    while (true) {
      if (!cursor.getKeys().isEmpty()) {
        keys += cursor.getKeys().size();
        action.accept(cursor.getKeys());
      }
      if (cursor.isFinished()) {
        return keys;
      }
      cursor = commands().scan(ScanCursor.of(cursor.getCursor()), args);
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
