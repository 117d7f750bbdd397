package dev.lockstep.redis;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sets many keys all or nothing: {@code MULTI}, one {@code SET} per key, {@code EXEC}, queued on a
 * connection of its own and sent in one flush, one batch at a time (a lock), because a connection
 * in {@code MULTI} would queue every other thread's commands into the transaction. Readers on other
 * connections see the batch whole or not at all: Redis runs {@code EXEC} as one step.
 *
 * <p><b>Outcomes.</b> Until the flush nothing has reached Redis, so a failure is a {@link
 * BackendException}. After it, an error reply to {@code EXEC} after a successful {@code MULTI}
 * (such as {@code EXECABORT}, when Redis refused a queued command for lack of memory) means Redis
 * ran none of it: also a {@link BackendException}. Anything else after the flush (a timeout, a
 * broken connection) is an {@link OutcomeUnknownException}. After any failure the connection is
 * closed, which makes Redis drop a transaction it had not executed, and the next batch opens a new
 * one. The connection never reconnects by itself (see {@link Connections}).
 */
final class AtomicWriter implements AutoCloseable {
  private final Connections connections;
  private final Failures failures;
  private final Duration timeout;
  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}; null until the first batch and after a failure. */
  private StatefulRedisConnection<byte[], byte[]> connection;

  AtomicWriter(Connections connections, Failures failures, Duration timeout) {
    this.connections = connections;
    this.failures = failures;
    this.timeout = timeout;
  }

  /**
   * Sets {@code keys.get(i)} to {@code values.get(i)} for every {@code i}, all or nothing, each
   * expiring after {@code ttlMillis.get(i)} ms when that is positive ({@code ttlMillis} may be null).
   *
   * @param bytes the size of the keys and values, which extends the deadline (see {@link Deadline})
   * @param doing the operation for messages, ending with its preposition
   * @throws BackendException if nothing was written
   * @throws OutcomeUnknownException if the batch may or may not have been written
   */
  void setAll(List<byte[]> keys, List<byte[]> values, List<Long> ttlMillis, long bytes, String doing) {
    lock.lock();
    try {
      StatefulRedisConnection<byte[], byte[]> tx = open(doing);
      RedisAsyncCommands<byte[], byte[]> commands = tx.async();
      RedisFuture<String> multi;
      RedisFuture<TransactionResult> exec;
      try {
        multi = commands.multi();
        for (int i = 0; i < keys.size(); i++) {
          long ttl = ttlMillis == null ? 0 : ttlMillis.get(i);
          if (ttl > 0) {
            commands.set(keys.get(i), values.get(i), SetArgs.Builder.px(ttl));
          } else {
            commands.set(keys.get(i), values.get(i));
          }
        }
        exec = commands.exec();
      } catch (RuntimeException e) {
        discard();
        throw failures.failure(doing, e);
      }
      tx.flushCommands();
      // From here on, EXEC may have reached Redis.
      TransactionResult result = awaitExec(multi, exec, Deadline.after(timeout, bytes), doing);
      if (result.wasDiscarded()) {
        // Only WATCH makes Redis discard a transaction, and none is set; if it did, nothing ran.
        throw failures.failure(doing, "Redis discarded the transaction", "retry the batch");
      }
      for (Object reply : result) {
        if (reply instanceof Throwable error) {
          throw failures.unknown(doing, error);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private TransactionResult awaitExec(
      RedisFuture<String> multi,
      RedisFuture<TransactionResult> exec,
      Deadline deadline,
      String doing) {
    try {
      return deadline.await(exec);
    } catch (ExecutionException e) {
      discard();
      if (e.getCause() instanceof RedisCommandExecutionException && succeeded(multi)) {
        throw failures.failure(doing, e);
      }
      throw failures.unknown(doing, e);
    } catch (TimeoutException e) {
      discard();
      throw failures.unknown(doing, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discard();
      throw failures.unknown(doing, e);
    }
  }

  /** Whether Redis answered {@code MULTI} with OK; its reply came before EXEC's. */
  private static boolean succeeded(RedisFuture<String> multi) {
    return multi.toCompletableFuture().isDone()
        && !multi.toCompletableFuture().isCompletedExceptionally();
  }

  private StatefulRedisConnection<byte[], byte[]> open(String doing) {
    if (connection != null && !connection.isOpen()) {
      discard();
    }
    if (connection == null) {
      try {
        connection = connections.newTransactionConnection();
      } catch (RuntimeException e) {
        throw failures.failure(doing, e);
      }
    }
    return connection;
  }

  private void discard() {
    StatefulRedisConnection<byte[], byte[]> closing = connection;
    connection = null;
    if (closing != null) {
      try {
        closing.close();
      } catch (RuntimeException e) {
        // The connection is being given up; Redis drops its pending transaction either way.
      }
    }
  }

  /** Closes the connection, waiting for a batch in progress. */
  @Override
  public void close() {
    lock.lock();
    try {
      discard();
    } finally {
      lock.unlock();
    }
  }
}
