package dev.lockstep.spi.online;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import java.util.List;
import java.util.Map;
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
   * The checkpoint last written for {@code consumer}, or empty if none was.
   *
   * @throws BackendException if the store failed
   */
  Optional<byte[]> checkpoint(String consumer);
}
