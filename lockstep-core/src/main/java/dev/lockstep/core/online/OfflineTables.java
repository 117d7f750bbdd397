package dev.lockstep.core.online;

import dev.lockstep.api.LockstepException;
import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Schema;

/** Creating the offline tables the online runtime appends to. */
final class OfflineTables {
  private OfflineTables() {}

  /**
   * Creates {@code table} with {@code schema} unless it exists.
   *
   * @throws LockstepException if it exists with another schema
   */
  static void ensure(OfflineStore store, String table, Schema schema) {
    if (!store.tables().contains(table)) {
      try {
        store.createTable(table, schema);
      } catch (AlreadyExistsException e) {
        // created concurrently: checked below
      }
    }
    Schema existing = store.schema(table);
    if (!existing.equals(schema)) {
      throw new LockstepException("Cannot append to table '" + table + "': it has columns " + existing
          + " and the source now declares " + schema + " (the source's columns changed; use a new source name)");
    }
  }
}
