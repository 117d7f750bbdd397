package dev.lockstep.core.internal;

import dev.lockstep.api.LockstepException;
import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Schema;

/** Creating the offline tables Lockstep writes to: ingestion, streaming, quarantine, feature logs. */
public final class OfflineTables {
  private OfflineTables() {}

  /**
   * Creates {@code table} with {@code schema} unless it exists.
   *
   * @param action what the caller is about to do, for the message, e.g. {@code "ingest into"}
   * @throws LockstepException if it exists with another schema
   */
  public static void ensure(OfflineStore store, String table, Schema schema, String action) {
    if (!store.tables().contains(table)) {
      try {
        store.createTable(table, schema);
      } catch (AlreadyExistsException e) {
        // created concurrently: checked below
      }
    }
    Schema existing = store.schema(table);
    if (!existing.equals(schema)) {
      throw new LockstepException("Cannot " + action + " table '" + table + "': it holds " + existing
          + " but the source now declares " + schema + " (declare a new source for the new columns)");
    }
  }
}
