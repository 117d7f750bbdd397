package dev.lockstep.spi.offline;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import java.util.List;
import java.util.Optional;

/**
 * Tables of events, one per source, holding the full history that training sets and backfills read.
 * A table changes only by atomic commits, each creating a {@link Snapshot}. Embedded: Iceberg
 * tables in a local warehouse directory; distributed: Iceberg on object storage.
 *
 * <p><b>Durability and isolation.</b> When {@link #append} returns, its rows are durable and
 * visible to every later scan of the current snapshot; a scan reads one snapshot only, never a
 * partial commit. Concurrent appends to one table both succeed, in some order.
 *
 * <p><b>Reading old snapshots.</b> A {@link ScanRequest} may pin a snapshot. A store that
 * implements {@link SupportsSnapshotReads} reads any snapshot it still holds; a store that does not
 * reads only the current one and rejects any other id with {@link
 * UnsupportedBackendOperationException} ({@code "<Backend> does not support snapshot reads"}).
 *
 * <p>Instances are thread-safe; the iterators they return are not.
 */
public interface OfflineStore extends Backend {

  /**
   * Creates an empty table, with no snapshot yet.
   *
   * @throws AlreadyExistsException if a table of that name exists
   * @throws BackendException if the store failed
   */
  void createTable(String table, Schema schema);

  /** The names of every table, sorted. */
  List<String> tables();

  /**
   * The payload schema of {@code table}.
   *
   * @throws NotFoundException if there is no such table
   */
  Schema schema(String table);

  /**
   * Appends {@code rows} in one commit: all of them or none become visible.
   *
   * @return the id of the snapshot this commit created
   * @throws NotFoundException if there is no such table
   * @throws IllegalArgumentException if {@code rows} is empty or a row does not fit the schema (see
   *     {@link Schema#validate}); nothing is committed
   * @throws BackendException if nothing was committed
   * @throws OutcomeUnknownException if the commit may or may not have happened; compare {@link
   *     #snapshots} before retrying
   */
  long append(String table, List<Row> rows);

  /**
   * The rows of {@code table} that {@code request} selects, in no particular order, with values in
   * the order of the requested columns (all columns in schema order if none are requested). A table
   * with no snapshot scans as empty.
   *
   * @throws NotFoundException if there is no such table, column or snapshot
   * @throws UnsupportedBackendOperationException if the request pins a snapshot other than the
   *     current one and this store does not implement {@link SupportsSnapshotReads}
   */
  CloseableIterator<Row> scan(String table, ScanRequest request);

  /**
   * The snapshots of {@code table} that can still be read, oldest first; the last is the current
   * one. Empty before the first commit.
   *
   * @throws NotFoundException if there is no such table
   */
  List<Snapshot> snapshots(String table);

  /**
   * The current snapshot of {@code table}, or empty before the first commit.
   *
   * @throws NotFoundException if there is no such table
   */
  default Optional<Snapshot> currentSnapshot(String table) {
    List<Snapshot> snapshots = snapshots(table);
    return snapshots.isEmpty()
        ? Optional.empty()
        : Optional.of(snapshots.get(snapshots.size() - 1));
  }

  /**
   * Deletes {@code table}, its history and its data. Optional.
   *
   * @throws NotFoundException if there is no such table
   * @throws UnsupportedBackendOperationException if this store cannot drop tables
   */
  default void dropTable(String table) {
    throw UnsupportedBackendOperationException.of(this, "dropping tables");
  }
}
