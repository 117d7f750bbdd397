package dev.lockstep.spi.offline;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.OutcomeUnknownException;
import java.util.Optional;

/**
 * An offline store whose appends can carry a commit key, so loading the same input twice appends it
 * once, and which remembers the highest sequence ever appended, so an ingest can continue the
 * table's durable sequence after a restart. A commit key is any string the caller derives from its
 * input, for example the SHA-256 of a file's bytes.
 */
public interface SupportsIdempotentAppends extends OfflineStore {

  /**
   * Appends {@code rows} in one commit tagged with {@code commitKey}, unless a commit tagged with
   * that key is already in the table's history: then nothing is appended and that commit is
   * returned with {@link Appended#duplicate()} true, and {@code rows} is not iterated. Otherwise
   * {@code rows} is iterated exactly once, so it may stream from a file larger than memory. An empty
   * {@code rows} commits an empty snapshot so the key is remembered. Keys are remembered as long as
   * the commits that carry them are in the table's retained history.
   *
   * @throws NotFoundException if there is no such table
   * @throws IllegalArgumentException if a row does not fit the schema; nothing is committed
   * @throws BackendException if nothing was committed
   * @throws OutcomeUnknownException if the commit may or may not have happened; calling again with
   *     the same key is safe
   */
  Appended append(String table, Iterable<Row> rows, String commitKey);

  /**
   * The commit tagged with {@code commitKey}, if the table's history has one.
   *
   * @throws NotFoundException if there is no such table
   */
  Optional<Snapshot> findCommit(String table, String commitKey);

  /**
   * The highest {@link Row#sequence()} of any row ever appended to {@code table}, or 0 if none was.
   * Read in constant time (not by scanning).
   *
   * @throws NotFoundException if there is no such table
   */
  long highestSequence(String table);

  /**
   * The result of an idempotent append.
   *
   * @param snapshot the commit holding the rows: new, or the earlier one with the same key
   * @param duplicate whether the key had been committed before, so nothing was appended now
   */
  record Appended(Snapshot snapshot, boolean duplicate) {}
}
