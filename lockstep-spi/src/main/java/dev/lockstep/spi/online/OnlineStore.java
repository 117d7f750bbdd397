package dev.lockstep.spi.online;

import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import java.util.List;

/**
 * Key-value state per (feature view, entity) that serving reads under a strict latency budget.
 * Values are opaque bytes encoded by the engine (see {@link Entry}). Views need no creation: a view
 * that was never written reads as empty. Embedded: RocksDB; distributed: Redis.
 *
 * <p><b>Consistency.</b> Once {@link #write} or {@link #delete} returns, every later read on any
 * thread sees it. Each entry is written atomically, but a batch is not: after a failure some
 * entries of it may be written. When two writes of the same key race, one wins whole. Lockstep
 * keeps one writer per (view, entity) partition, so races are a caller bug.
 *
 * <p><b>Durability.</b> An online store is derived state that can be rebuilt from the event log and
 * the offline store, so a returned write is as durable as the backend's configuration makes it (the
 * RocksDB write-ahead log; Redis's persistence settings). Exactly-once stream processing relies on
 * {@link SupportsAtomicCheckpoint}, not on this.
 *
 * <p>Instances are thread-safe.
 */
public interface OnlineStore extends Backend {

  /**
   * Stores each entry's value under its key in {@code view}, replacing what was there. If a key
   * occurs more than once, the last occurrence wins.
   *
   * @throws BackendException if the store failed; some entries may have been written, and rewriting
   *     the whole batch is safe
   */
  void write(String view, List<Entry> entries);

  /**
   * The values of {@code keys} in {@code view}, in the order of {@code keys}, with {@code null} for
   * each key that has no value (never written, deleted or expired). The list is a new modifiable
   * list owned by the caller.
   *
   * @throws BackendException if the store failed
   */
  List<byte[]> read(String view, List<EntityKey> keys);

  /**
   * Removes the value of {@code key} in {@code view}, if any; used by governance to forget an
   * entity. Deleting an absent key does nothing.
   *
   * @throws BackendException if the store failed
   */
  void delete(String view, EntityKey key);

  /**
   * Removes every value of {@code view}. Optional.
   *
   * @throws UnsupportedBackendOperationException if this store cannot drop views
   * @throws BackendException if the store failed
   */
  default void dropView(String view) {
    throw UnsupportedBackendOperationException.of(this, "dropping views");
  }
}
