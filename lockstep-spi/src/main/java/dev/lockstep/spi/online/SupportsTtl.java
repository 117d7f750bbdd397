package dev.lockstep.spi.online;

import dev.lockstep.spi.BackendException;
import java.time.Duration;
import java.util.List;

/**
 * An online store that can expire values by itself, so state of entities that stopped producing
 * events does not grow without bound (Redis {@code PEXPIRE}, RocksDB TTL compaction).
 */
public interface SupportsTtl extends OnlineStore {

  /**
   * As {@link #write(String, List)}, and each value expires {@code ttl} after this call: from then
   * on it reads as absent. Expiry is never early; it may be late by a granularity the backend
   * documents. A later write of the same key, with or without a TTL, replaces the expiry too.
   *
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   * @throws BackendException if the store failed
   */
  void write(String view, List<Entry> entries, Duration ttl);
}
