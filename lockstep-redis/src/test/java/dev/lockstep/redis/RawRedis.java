package dev.lockstep.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A plain Lettuce connection to the test Redis at 127.0.0.1:6379, beside the store: to look at the
 * keys the store wrote, to plant keys it must refuse, and to delete a test's namespace afterwards.
 * One connection for the whole test JVM.
 */
final class RawRedis {
  static final String URI = "redis://127.0.0.1:6379";

  private static RedisClient client;
  private static StatefulRedisConnection<byte[], byte[]> connection;

  private RawRedis() {}

  /** The synchronous commands of the shared raw connection, connecting on first use. */
  static synchronized RedisCommands<byte[], byte[]> redis() {
    if (connection == null) {
      client = RedisClient.create(URI);
      connection = client.connect(ByteArrayCodec.INSTANCE);
      Runtime.getRuntime().addShutdownHook(new Thread(RawRedis::disconnect));
    }
    return connection.sync();
  }

  /** A namespace no other test uses. */
  static String newNamespace() {
    return "lockstep-test-" + UUID.randomUUID().toString().substring(0, 13);
  }

  /** The keys of {@code namespace}, as text (entity keys are hex, views here are text). */
  static List<String> keys(String namespace) {
    List<String> keys = new ArrayList<>();
    ScanArgs match = new ScanArgs().match(namespace + ":*").limit(1_000);
    KeyScanCursor<byte[]> cursor = redis().scan(match);
    while (true) {
      cursor.getKeys().forEach(key -> keys.add(text(key)));
      if (cursor.isFinished()) {
        return keys;
      }
      cursor = redis().scan(cursor, match);
    }
  }

  /** Deletes every key of {@code namespace}. */
  static void deleteNamespace(String namespace) {
    List<String> keys = keys(namespace);
    for (int from = 0; from < keys.size(); from += 1_000) {
      byte[][] chunk =
          keys.subList(from, Math.min(keys.size(), from + 1_000)).stream()
              .map(RawRedis::bytes)
              .toArray(byte[][]::new);
      redis().unlink(chunk);
    }
  }

  /** Deletes every key of {@code namespace} in Redis database {@code database}. */
  static void deleteNamespace(String namespace, int database) {
    RedisClient other = RedisClient.create(URI + "/" + database);
    try (StatefulRedisConnection<String, String> connection = other.connect()) {
      List<String> keys = connection.sync().keys(namespace + ":*");
      if (!keys.isEmpty()) {
        connection.sync().unlink(keys.toArray(new String[0]));
      }
    } finally {
      other.shutdown();
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static synchronized void disconnect() {
    connection.close();
    client.shutdown();
  }
}
