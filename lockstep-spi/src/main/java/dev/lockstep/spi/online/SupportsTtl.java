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

  /**
   * For implementations: checks the arguments of {@link #write(String, List, Duration)}.
   *
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   */
  static void checkWrite(String view, List<Entry> entries, Duration ttl) {
    java.util.Objects.requireNonNull(view, "view");
    java.util.Objects.requireNonNull(entries, "entries");
    java.util.Objects.requireNonNull(ttl, "ttl");
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("Cannot write to view '" + view + "' with a TTL: the TTL is " + ttl
          + ", it must be positive (write without a TTL to keep values until overwritten)");
    }
  }
}
