package dev.lockstep.spi.online;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An online store that writes state together with the position in the source it reflects, in one
 * atomic step, so a stream consumer that restarts resumes exactly after the last applied batch: no
 * event is lost or counted twice (RocksDB {@code WriteBatch}; Redis {@code MULTI} on one slot).
 */
public interface SupportsAtomicCheckpoint extends OnlineStore {

  /**
   * Writes every entry of every view in {@code entriesByView} and sets the checkpoint of {@code
   * consumer} to {@code checkpoint}, all or nothing: a reader, or a restart after a crash, sees
   * either all of it or none of it.
   *
   * @param consumer who owns the checkpoint, e.g. {@code "payments-stream"}
   * @param checkpoint opaque bytes encoded by the caller, typically event log positions
   * @throws BackendException if nothing was written
   * @throws OutcomeUnknownException if the write may or may not have happened; read {@link
   *     #checkpoint} to know
   */
  void writeWithCheckpoint(
      Map<String, List<Entry>> entriesByView, String consumer, byte[] checkpoint);

  /**
   * As {@link #writeWithCheckpoint(Map, String, byte[])}, and the entries of each view in {@code
   * ttlByView} expire that long after this call, as {@link SupportsTtl#write(String, List,
   * Duration)} says (the entries of other views and the checkpoint never expire). So state of
   * entities that stopped producing events does not outlive what any feature can still read.
   * Optional: a store with {@link SupportsTtl} implements it.
   *
   * @throws IllegalArgumentException if a TTL is zero or negative
   * @throws dev.lockstep.spi.UnsupportedBackendOperationException if {@code ttlByView} is not empty
   *     and this store cannot expire values
   * @throws BackendException if nothing was written
   * @throws OutcomeUnknownException if the write may or may not have happened
   */
  default void writeWithCheckpoint(Map<String, List<Entry>> entriesByView, Map<String, Duration> ttlByView,
      String consumer, byte[] checkpoint) {
    if (!ttlByView.isEmpty()) {
      throw dev.lockstep.spi.UnsupportedBackendOperationException.of(this, "atomic writes of expiring values");
    }
    writeWithCheckpoint(entriesByView, consumer, checkpoint);
  }

  /**
   * For implementations: checks the TTLs of {@link #writeWithCheckpoint(Map, Map, String, byte[])}.
   *
   * @throws IllegalArgumentException if a TTL is zero or negative
   */
  static void checkTtls(Map<String, Duration> ttlByView, String consumer) {
    Objects.requireNonNull(ttlByView, "ttlByView");
    for (Duration ttl : ttlByView.values()) {
      if (ttl.isZero() || ttl.isNegative()) {
        throw new IllegalArgumentException("Cannot write with the checkpoint of consumer '" + consumer
            + "': a TTL is " + ttl + ", it must be positive (leave the view out to keep its values)");
      }
    }
  }

  /**
   * For implementations: checks every argument of {@link #writeWithCheckpoint(Map, Map, String,
   * byte[])}.
   *
   * @throws IllegalArgumentException if a TTL is zero or negative
   * @throws NullPointerException if an argument is null
   */
  static void checkWrite(Map<String, List<Entry>> entriesByView, Map<String, Duration> ttlByView, String consumer,
      byte[] checkpoint) {
    Objects.requireNonNull(entriesByView, "entriesByView");
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(checkpoint, "checkpoint");
    checkTtls(ttlByView, consumer);
  }

  /**
   * The checkpoint last written for {@code consumer}, or empty if none was.
   *
   * @throws BackendException if the store failed
   */
  Optional<byte[]> checkpoint(String consumer);
}
