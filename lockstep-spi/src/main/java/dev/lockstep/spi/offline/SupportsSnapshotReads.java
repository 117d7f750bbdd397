package dev.lockstep.spi.offline;

import dev.lockstep.spi.NotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An offline store that can read any snapshot it still holds ("time travel"), so a training set
 * built from a manifest's snapshot ids can be rebuilt with the same bytes. Implementing it is a
 * promise that {@link #scan} honors {@link ScanRequest#atSnapshot(long)} for every snapshot listed
 * by {@link #snapshots}.
 */
public interface SupportsSnapshotReads extends OfflineStore {

  /**
   * The snapshot that was current at {@code time}: the last one committed at or before it, or empty
   * if none was.
   *
   * @throws NotFoundException if there is no such table
   */
  default Optional<Snapshot> snapshotAsOf(String table, Instant time) {
    Snapshot result = null;
    List<Snapshot> snapshots = snapshots(table);
    for (Snapshot snapshot : snapshots) {
      if (snapshot.committedAt().isAfter(time)) {
        break;
      }
      result = snapshot;
    }
    return Optional.ofNullable(result);
  }
}
