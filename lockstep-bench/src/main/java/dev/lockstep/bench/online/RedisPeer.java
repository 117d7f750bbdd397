package dev.lockstep.bench.online;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network key-value peer of the HTTP benchmark: Redis through Lettuce's asynchronous client on
 * one connection (commands are pipelined as they are issued). Holds {@code n} values under keys
 * {@value #PREFIX}{@code i}, and deletes them on close.
 */
final class RedisPeer implements AutoCloseable {
  static final String PREFIX = "lockstep-bench:vector:";

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisAsyncCommands<byte[], byte[]> commands;
  private final byte[][] keys;

  private RedisPeer(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, int size) {
    this.client = client;
    this.connection = connection;
    this.commands = connection.async();
    this.keys = new byte[size][];
    for (int i = 0; i < size; i++) {
      keys[i] = (PREFIX + i).getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * Connects to {@code hostPort} ({@code host:port}) and stores {@code values}, one per key.
   *
   * @throws RuntimeException if Redis cannot be reached
   */
  static RedisPeer start(String hostPort, List<byte[]> values) throws Exception {
    int colon = hostPort.lastIndexOf(':');
    RedisURI uri = RedisURI.builder()
        .withHost(hostPort.substring(0, colon))
        .withPort(Integer.parseInt(hostPort.substring(colon + 1)))
        .withTimeout(Duration.ofSeconds(30))
        .build();
    RedisClient client = RedisClient.create(uri);
    StatefulRedisConnection<byte[], byte[]> connection;
    try {
      connection = client.connect(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
    RedisPeer peer = new RedisPeer(client, connection, values.size());
    List<RedisFuture<String>> writes = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      writes.add(peer.commands.set(peer.keys[i], values.get(i)));
    }
    for (RedisFuture<String> write : writes) {
      write.get(30, TimeUnit.SECONDS);
    }
    return peer;
  }

  int size() {
    return keys.length;
  }

  RedisFuture<byte[]> get(int key) {
    return commands.get(keys[key]);
  }

  RedisFuture<?> mget(int[] keyIndexes) {
    byte[][] batch = new byte[keyIndexes.length][];
    for (int i = 0; i < keyIndexes.length; i++) {
      batch[i] = keys[keyIndexes[i]];
    }
    return commands.mget(batch);
  }

  @Override
  public void close() {
    try {
      for (int from = 0; from < keys.length; from += 1_000) {
        byte[][] chunk = java.util.Arrays.copyOfRange(keys, from, Math.min(keys.length, from + 1_000));
        commands.del(chunk).get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      Results.say("Cannot delete the benchmark's keys %s* from Redis: %s", PREFIX, e);
    } finally {
      connection.close();
      client.shutdown();
    }
  }
}
