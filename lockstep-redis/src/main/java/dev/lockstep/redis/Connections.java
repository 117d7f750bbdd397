package dev.lockstep.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The store's Lettuce clients over one set of client resources (event loop threads):
 *
 * <ul>
 *   <li>one shared connection for every read and plain write, thread-safe, pipelining the commands
 *       of all threads; it reconnects by itself and then resends the commands Redis did not answer,
 *       which is safe because they are idempotent ({@code GET}, {@code SET}, {@code DEL}, ...);
 *   <li>connections for transactions, made by {@link #newTransactionConnection()}, that never
 *       reconnect: a resent tail of a {@code MULTI ... EXEC} would run outside the transaction.
 * </ul>
 *
 * <p>Lettuce's own command timeouts are off: callers wait with a deadline and cancel (see {@link
 * Deadline}), so a large transaction can be given more time than a read.
 */
final class Connections implements AutoCloseable {
  private final ClientResources resources;
  private final RedisClient sharedClient;
  private final RedisClient transactionClient;
  private final StatefulRedisConnection<byte[], byte[]> shared;
  private final Duration timeout;

  private Connections(
      ClientResources resources,
      RedisClient sharedClient,
      RedisClient transactionClient,
      StatefulRedisConnection<byte[], byte[]> shared,
      Duration timeout) {
    this.resources = resources;
    this.sharedClient = sharedClient;
    this.transactionClient = transactionClient;
    this.shared = shared;
    this.timeout = timeout;
  }

  /**
   * Connects the shared connection to {@code uri}, waiting at most {@code timeout} for the TCP
   * connection and again for the handshake.
   *
   * @throws RuntimeException a Lettuce exception if Redis cannot be reached or refuses the login;
   *     nothing is left open
   */
  static Connections open(RedisURI uri, Duration timeout) {
    uri.setTimeout(timeout);
    SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
    // Lettuce would cancel every command after the uri's timeout; the store's deadlines do instead.
    TimeoutOptions noTimeouts = TimeoutOptions.builder().timeoutCommands(false).build();
    ClientResources resources = DefaultClientResources.create();
    RedisClient sharedClient = null;
    RedisClient transactionClient = null;
    try {
      sharedClient = RedisClient.create(resources, uri);
      sharedClient.setOptions(
          ClientOptions.builder().socketOptions(socket).timeoutOptions(noTimeouts).build());
      transactionClient = RedisClient.create(resources, uri);
      transactionClient.setOptions(
          ClientOptions.builder()
              .socketOptions(socket)
              .timeoutOptions(noTimeouts)
              .autoReconnect(false)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      StatefulRedisConnection<byte[], byte[]> shared =
          sharedClient.connect(ByteArrayCodec.INSTANCE);
      return new Connections(resources, sharedClient, transactionClient, shared, timeout);
    } catch (RuntimeException e) {
      shutdown(sharedClient, transactionClient, resources, timeout);
      throw e;
    }
  }

  /** The connection every thread shares. */
  StatefulRedisConnection<byte[], byte[]> shared() {
    return shared;
  }

  /**
   * A new connection that does not reconnect and does not flush commands until told to; the caller
   * owns it.
   *
   * @throws RuntimeException a Lettuce exception if Redis cannot be reached
   */
  StatefulRedisConnection<byte[], byte[]> newTransactionConnection() {
    StatefulRedisConnection<byte[], byte[]> connection =
        transactionClient.connect(ByteArrayCodec.INSTANCE);
    connection.setAutoFlushCommands(false);
    return connection;
  }

  /**
   * Closes the shared connection and shuts the clients and their threads down.
   *
   * @throws RuntimeException a Lettuce or Netty exception if something did not shut down cleanly
   */
  @Override
  public void close() {
    try {
      shared.close();
    } finally {
      shutdown(sharedClient, transactionClient, resources, timeout);
    }
  }

  private static void shutdown(
      RedisClient sharedClient,
      RedisClient transactionClient,
      ClientResources resources,
      Duration timeout) {
    try {
      if (sharedClient != null) {
        sharedClient.shutdown(Duration.ZERO, timeout);
      }
    } finally {
      try {
        if (transactionClient != null) {
          transactionClient.shutdown(Duration.ZERO, timeout);
        }
      } finally {
        // Netty's future: wait for the event loop threads, so none outlives the store.
        resources
            .shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(2 * timeout.toMillis());
      }
    }
  }
}
