package dev.lockstep.spi.online;

import java.time.Duration;

/**
 * An online store shared by several processes (Redis) that can hold named leases with an expiry,
 * so exactly one process at a time writes a project's state: the others refuse to start instead
 * of applying the same events twice. A store only one process can open (RocksDB) needs none.
 *
 * <p>A lease is held by an owner string until it expires or is released; its holder renews it by
 * acquiring it again before it expires.
 */
public interface SupportsLeases extends OnlineStore {

  /**
   * Takes {@code lease} for {@code owner} for {@code ttl} if it is free or already {@code owner}'s
   * (renewing it), atomically.
   *
   * @return the holder after the call: {@code owner} if it holds the lease now, otherwise the
   *     other holder, whose lease was left alone
   * @throws IllegalArgumentException if {@code ttl} is not positive
   * @throws dev.lockstep.spi.BackendException if the store failed
   */
  String acquire(String lease, String owner, Duration ttl);

  /**
   * Gives {@code lease} up if {@code owner} holds it; does nothing otherwise.
   *
   * @throws dev.lockstep.spi.BackendException if the store failed
   */
  void release(String lease, String owner);
}
