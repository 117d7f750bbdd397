package dev.lockstep.redis;

import dev.lockstep.spi.CallGuard;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.spi.online.SupportsLeases;
import dev.lockstep.spi.online.SupportsTtl;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * The distributed online store: values in one standalone Redis (or the primary that Sentinel
 * names), under the keys of one namespace, through Lettuce. The layout and its format marker are
 * documented in {@code docs/redis.md}; see {@link KeyLayout}.
 *
 * <ul>
 *   <li><b>read</b>: one {@code GET}, or one {@code MGET} for several keys: one round trip, and one
 *       command, so a read never sees part of a {@link #writeWithCheckpoint}.
 *   <li><b>write</b>: {@code SET}s (with {@code PX} for a TTL), pipelined in chunks of {@value
 *       #CHUNK_ENTRIES} entries or {@value #CHUNK_BYTES} bytes, one round trip per chunk.
 *   <li><b>writeWithCheckpoint</b>: {@code MULTI}, the {@code SET}s and the checkpoint's, {@code
 *       EXEC}, on a connection of its own (see {@link AtomicWriter}).
 *   <li><b>delete</b>: {@code DEL}; <b>dropView</b>: {@code SCAN MATCH} and {@code UNLINK}.
 * </ul>
 *
 * <p><b>TTL.</b> {@code SET ... PX} with the TTL rounded up to the millisecond; Redis expires a key
 * when its time is past, checked on access, so expiry is never early and about a millisecond late
 * at most, by the Redis server's clock.
 *
 * <p><b>Durability</b> is what Redis's persistence settings give ({@code appendonly}, {@code
 * save}); a write returns once Redis has applied it in memory.
 *
 * <p>Thread-safe: every thread shares one connection, whose commands Lettuce pipelines. Each call
 * waits at most the configured timeout (longer for large writes, see {@link Deadline}). Closing
 * waits for the calls in flight, then closes the connections; later calls throw {@link
 * IllegalStateException}.
 */
public final class RedisOnlineStore implements SupportsAtomicCheckpoint, SupportsTtl, SupportsLeases {
  /** Takes or renews a lease for its owner (ARGV[1]) for ARGV[2] ms; returns the holder after. */
  private static final String ACQUIRE = "local holder = redis.call('GET', KEYS[1]) "
      + "if holder == false or holder == ARGV[1] then "
      + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return ARGV[1] end "
      + "return holder";
  /** Deletes a lease if its owner (ARGV[1]) holds it. */
  private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
      + "return redis.call('DEL', KEYS[1]) end return 0";

  static final int CHUNK_ENTRIES = 1_000;
  static final int CHUNK_BYTES = 8 << 20;
  private static final int SCAN_COUNT = 1_000;
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

  private final KeyLayout layout;
  private final Connections connections;
  private final RedisAsyncCommands<byte[], byte[]> redis;
  private final StatefulRedisConnection<byte[], byte[]> shared;
  private final AtomicWriter atomicWriter;
  private final Failures failures;
  private final Duration timeout;
  private final String description;
  private final CallGuard calls = new CallGuard();

  private RedisOnlineStore(
      KeyLayout layout, Connections connections, Failures failures, Duration timeout) {
    this.description = failures.location() + ", namespace=" + layout.namespace();
    this.layout = layout;
    this.connections = connections;
    this.shared = connections.shared();
    this.redis = shared.async();
    this.failures = failures;
    this.timeout = timeout;
    this.atomicWriter = new AtomicWriter(connections, failures, timeout);
  }

  /**
   * Connects to Redis at {@code uri} and opens {@code namespace}, checking its format marker or
   * writing it if the namespace is new.
   *
   * @param location {@code uri} as shown in messages, without credentials
   * @param secrets strings never to show, such as the password
   * @throws BackendException if Redis cannot be reached or refuses the login
   * @throws dev.lockstep.api.CorruptDataException if the namespace holds another format or version
   */
  static RedisOnlineStore open(
      RedisURI uri, String location, String namespace, Duration timeout, List<String> secrets) {
    KeyLayout layout = new KeyLayout(namespace);
    Failures failures = new Failures(location, namespace, secrets);
    Connections connections;
    try {
      connections = Connections.open(uri, timeout);
    } catch (RuntimeException e) {
      throw failures.failure("open", e);
    }
    try {
      FormatMarker.check(connections.shared().async(), layout, failures, timeout);
    } catch (RuntimeException e) {
      try {
        connections.close();
      } catch (RuntimeException suppressed) {
        // The open failed already; that failure is the one to report.
      }
      throw e;
    }
    return new RedisOnlineStore(layout, connections, failures, timeout);
  }

  @Override
  public String name() {
    return RedisOnlineStoreFactory.NAME;
  }

  @Override
  public String displayName() {
    return "Redis";
  }

  /** The namespace whose keys this store reads and writes. */
  public String namespace() {
    return layout.namespace();
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code MGET} (a {@code GET} for one key): a single command, so the values are all from
   * one moment and never show part of a {@link #writeWithCheckpoint}.
   */
  @Override
  public List<byte[]> read(String view, List<EntityKey> keys) {
    Objects.requireNonNull(view, "view");
    int count = keys.size();
    enter("read view", view);
    try {
      if (count == 0) {
        return new ArrayList<>(0);
      }
      byte[] suffix = layout.suffix(view);
      if (count == 1) {
        byte[] value = await(redis.get(layout.valueKey(suffix, keys.get(0))));
        List<byte[]> values = new ArrayList<>(1);
        values.add(value);
        return values;
      }
      CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC);
      for (EntityKey key : keys) {
        args.addKey(layout.valueKey(suffix, key));
      }
      return await(redis.dispatch(CommandType.MGET, new ValuesOutput(count), args));
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      throw failure(
          "read " + Failures.count(count, "key", "keys") + " of view '" + view + "' in", e);
    } finally {
      calls.exit();
    }
  }

  @Override
  public void write(String view, List<Entry> entries) {
    writeEntries(view, entries, 0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code SET ... PX} with the TTL rounded up to the millisecond.
   */
  @Override
  public void write(String view, List<Entry> entries, Duration ttl) {
    SupportsTtl.checkWrite(view, entries, ttl);
    long millis = ttl.toMillis() + (ttl.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
    writeEntries(view, entries, millis);
  }

  /** Pipelined {@code SET}s, one round trip per chunk; {@code ttlMillis} 0 means none. */
  private void writeEntries(String view, List<Entry> entries, long ttlMillis) {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(entries, "entries");
    enter("write to view", view);
    try {
      byte[] suffix = layout.suffix(view);
      int next = 0;
      while (next < entries.size()) {
        List<RedisCommand<byte[], byte[], ?>> chunk =
            new ArrayList<>(Math.min(CHUNK_ENTRIES, entries.size() - next));
        long bytes = 0;
        while (next < entries.size() && chunk.size() < CHUNK_ENTRIES && bytes < CHUNK_BYTES) {
          Entry entry = entries.get(next++);
          CommandArgs<byte[], byte[]> args =
              new CommandArgs<>(CODEC)
                  .addKey(layout.valueKey(suffix, entry.key()))
                  .addValue(entry.value());
          if (ttlMillis > 0) {
            args.add(CommandKeyword.PX).add(ttlMillis);
          }
          chunk.add(
              new AsyncCommand<>(new Command<>(CommandType.SET, new StatusOutput<>(CODEC), args)));
          bytes += entry.value().length;
        }
        shared.dispatch(chunk);
        Deadline deadline = Deadline.after(timeout, bytes);
        for (RedisCommand<byte[], byte[], ?> command : chunk) {
          deadline.await((AsyncCommand<byte[], byte[], ?>) command);
        }
      }
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      String what = Failures.count(entries.size(), "entry", "entries");
      throw failure("write " + what + " to view '" + view + "' in", e);
    } finally {
      calls.exit();
    }
  }

  @Override
  public void delete(String view, EntityKey key) {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(key, "key");
    enter("delete from view", view);
    try {
      await(redis.del(layout.valueKey(layout.suffix(view), key)));
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      throw failure("delete " + key + " from view '" + view + "' in", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code SCAN MATCH <namespace>:v:{*}:<view>} over the whole database, {@code UNLINK} of the
   * keys found, {@value #SCAN_COUNT} at a time: the cost grows with the size of the database, not
   * of the view. Not atomic: readers may see some keys of the view gone and others not yet, and a
   * key written during the drop may survive it.
   */
  @Override
  public void dropView(String view) {
    Objects.requireNonNull(view, "view");
    enter("drop view", view);
    try {
      byte[] suffix = layout.suffix(view);
      ScanArgs match = new ScanArgs().match(layout.scanPattern(suffix)).limit(SCAN_COUNT);
      List<byte[]> found = new ArrayList<>();
      KeyScanCursor<byte[]> cursor = await(redis.scan(match));
      while (true) {
        for (byte[] key : cursor.getKeys()) {
          if (layout.isValueKey(key, suffix)) {
            found.add(key);
          }
        }
        if (found.size() >= SCAN_COUNT || (cursor.isFinished() && !found.isEmpty())) {
          await(redis.unlink(found.toArray(new byte[0][])));
          found.clear();
        }
        if (cursor.isFinished()) {
          return;
        }
        cursor = await(redis.scan(cursor, match));
      }
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      throw failure("drop view '" + view + "' in", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code MULTI}, a {@code SET} per entry and one for the checkpoint, {@code EXEC}: Redis runs
   * them as one step, and each key's earlier TTL is cleared. Batches wait for each other. Needs a
   * standalone Redis: a Redis Cluster would refuse a transaction across slots.
   */
  @Override
  public void writeWithCheckpoint(
      Map<String, List<Entry>> entriesByView, String consumer, byte[] checkpoint) {
    writeWithCheckpoint(entriesByView, Map.of(), consumer, checkpoint);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code SET ... PX} inside the same {@code MULTI}/{@code EXEC}.
   */
  @Override
  public void writeWithCheckpoint(Map<String, List<Entry>> entriesByView, Map<String, Duration> ttlByView,
      String consumer, byte[] checkpoint) {
    SupportsAtomicCheckpoint.checkWrite(entriesByView, ttlByView, consumer, checkpoint);
    enter("write with the checkpoint of consumer", consumer);
    try {
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      List<Long> ttls = new ArrayList<>();
      long bytes = 0;
      for (Map.Entry<String, List<Entry>> view : entriesByView.entrySet()) {
        byte[] suffix = layout.suffix(Objects.requireNonNull(view.getKey(), "view"));
        Duration ttl = ttlByView.get(view.getKey());
        Long ttlMillis = ttl == null ? 0L : ttl.toMillis() + (ttl.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
        for (Entry entry : view.getValue()) {
          byte[] key = layout.valueKey(suffix, entry.key());
          keys.add(key);
          values.add(entry.value());
          ttls.add(ttlMillis);
          bytes += key.length + entry.value().length;
        }
      }
      keys.add(layout.checkpointKey(consumer));
      values.add(checkpoint);
      ttls.add(0L);
      bytes += checkpoint.length;
      atomicWriter.setAll(
          keys,
          values,
          ttlByView.isEmpty() ? null : ttls,
          bytes,
          "write "
              + Failures.count(keys.size() - 1, "entry", "entries")
              + " of "
              + Failures.count(entriesByView.size(), "view", "views")
              + " with the checkpoint of consumer '"
              + consumer
              + "' in");
    } finally {
      calls.exit();
    }
  }

  @Override
  public Optional<byte[]> checkpoint(String consumer) {
    Objects.requireNonNull(consumer, "consumer");
    enter("read the checkpoint of consumer", consumer);
    try {
      return Optional.ofNullable(await(redis.get(layout.checkpointKey(consumer))));
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      throw failure("read the checkpoint of consumer '" + consumer + "' in", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A Lua script on {@code <namespace>:lease:<lease>}: {@code GET}, then {@code SET ... PX} if
   * it is free or the owner's, in one step.
   */
  @Override
  public String acquire(String lease, String owner, Duration ttl) {
    Objects.requireNonNull(owner, "owner");
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("Cannot acquire lease '" + lease + "': the TTL is " + ttl
          + ", it must be positive");
    }
    enter("acquire lease", lease);
    try {
      byte[] holder = await(redis.<byte[]>eval(ACQUIRE, ScriptOutputType.VALUE,
          new byte[][] {layout.leaseKey(lease)}, owner.getBytes(StandardCharsets.UTF_8),
          Long.toString(Math.max(1, ttl.toMillis())).getBytes(StandardCharsets.UTF_8)));
      return new String(holder, StandardCharsets.UTF_8);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      throw failure("acquire lease '" + lease + "' in", e);
    } finally {
      calls.exit();
    }
  }

  @Override
  public void release(String lease, String owner) {
    Objects.requireNonNull(owner, "owner");
    enter("release lease", lease);
    try {
      await(redis.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] {layout.leaseKey(lease)},
          owner.getBytes(StandardCharsets.UTF_8)));
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      throw failure("release lease '" + lease + "' in", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * Waits for the calls in flight, then closes the connections and stops the client's threads.
   * Idempotent.
   *
   * @throws BackendException if the client did not shut down cleanly; it is closed all the same
   */
  @Override
  public void close() {
    if (!calls.close()) {
      return;
    }
    try {
      atomicWriter.close();
    } finally {
      try {
        connections.close();
      } catch (RuntimeException e) {
        throw failures.failure("close", e);
      }
    }
  }

  /** The server and namespace, never a password. */
  @Override
  public String toString() {
    return "RedisOnlineStore[" + description + (calls.isClosed() ? ", closed]" : "]");
  }

  private <T> T await(Future<T> command)
      throws ExecutionException, TimeoutException, InterruptedException {
    return Deadline.after(timeout).await(command);
  }

  private BackendException failure(String doing, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return failures.failure(doing, e);
  }

  /** Enters a call; the message is only built when the store is closed, off the hot path. */
  private void enter(String doing, String name) {
    if (!calls.tryEnter()) {
      throw failures.closed(doing + " '" + name + "'");
    }
  }
}
