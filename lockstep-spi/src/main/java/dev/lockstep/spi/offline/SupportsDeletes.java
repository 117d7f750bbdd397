package dev.lockstep.spi.offline;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.OutcomeUnknownException;
import java.util.Map;

/**
 * An offline store that can erase the rows of one entity, for governance's {@code forget}. Erasing
 * means gone: afterwards no scan returns those rows, at the current snapshot or at any older one,
 * so a store that also {@link SupportsSnapshotReads reads snapshots} must rewrite or expire the
 * older snapshots that held them and delete the files.
 */
public interface SupportsDeletes extends OfflineStore {

  /**
   * Erases every row of {@code table} whose values equal all of {@code entityKey} (column name to
   * value, e.g. {@code {"user_id": "u-1"}}), in one commit creating a {@link
   * Snapshot.Operation#DELETE} snapshot. When no row matches, nothing is committed.
   *
   * @return the number of rows erased from the current snapshot
   * @throws NotFoundException if there is no such table or a key column is not in its schema
   * @throws IllegalArgumentException if {@code entityKey} is empty or a value does not fit its
   *     column
   * @throws BackendException if nothing was erased
   * @throws OutcomeUnknownException if the erase may or may not have happened; erasing again is
   *     safe
   */
  long eraseEntity(String table, Map<String, Object> entityKey);
}
