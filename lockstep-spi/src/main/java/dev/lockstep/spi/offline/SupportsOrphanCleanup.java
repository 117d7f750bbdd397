package dev.lockstep.spi.offline;

import java.time.Instant;
import java.util.List;

/**
 * An offline store whose writers may leave files behind that no snapshot references: a process
 * killed while it wrote a batch's data files, an append refused after its files were written. Such
 * files take disk space and mislead anyone who reads the table's directory with a plain glob; this
 * capability finds and deletes them.
 */
public interface SupportsOrphanCleanup extends OfflineStore {

  /**
   * The data files under {@code table}'s location that no snapshot of the table references and that
   * were last modified before {@code olderThan} (a file younger than that may belong to an append
   * in progress), deleted unless {@code dryRun}.
   *
   * @return the files found, as locations, in name order
   * @throws NotFoundException if there is no such table
   * @throws BackendException if the files cannot be listed or deleted
   */
  List<String> removeOrphanFiles(String table, Instant olderThan, boolean dryRun);
}
