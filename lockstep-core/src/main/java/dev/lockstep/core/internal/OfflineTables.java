package dev.lockstep.core.internal;

import dev.lockstep.registry.SourceTables;
import dev.lockstep.spi.offline.SupportsSchemaEvolution;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.LockstepException;
import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.util.ArrayList;
import java.util.List;

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
    ensureTable(store, table, schema, action);
  }

  /**
   * Appends {@code rows} to {@code table}, created with {@code schema} unless it exists, numbered
   * in their order after the table's highest sequence (the rows' own sequences are ignored), in one
   * commit keyed {@code commitKey}. For the tables one process at a time appends to: quarantine,
   * breakers, quality runs, parity checks, training sets, replays.
   *
   * @throws LockstepException if the table exists with another schema
   */
  public static SupportsIdempotentAppends.Appended appendNumbered(SupportsIdempotentAppends store, String table,
      Schema schema, String action, List<Row> rows, String commitKey) {
    ensureTable(store, table, schema, action);
    long sequence = store.highestSequence(table);
    List<Row> numbered = new ArrayList<>(rows.size());
    for (Row row : rows) {
      numbered.add(new Row(row.eventTimeMillis(), row.ingestTimeMillis(), ++sequence, row.values()));
    }
    return store.append(table, numbered, commitKey);
  }

  /** The offline schema of {@code source}'s events ({@link SourceTables#tableSchema}). */
  public static Schema tableSchema(Source source) {
    return SourceTables.tableSchema(source);
  }

  /** Whether a source can change in place ({@link SourceTables#incompatibility}). */
  public static String incompatibility(Source before, Source after) {
    return SourceTables.incompatibility(before, after);
  }

  /**
   * Gives the existing {@code table} {@code schema} when the change is additive (new nullable
   * columns, another order) and the store evolves schemas; nothing when it has {@code schema}.
   *
   * @return whether the table was changed
   * @throws LockstepException if it holds another schema that cannot become {@code schema}
   */
  public static boolean evolve(OfflineStore store, String table, Schema schema, String action) {
    Schema existing = store.schema(table);
    if (existing.equals(schema)) {
      return false;
    }
    String incompatibility = SupportsSchemaEvolution.incompatibility(existing, schema);
    if (incompatibility != null || !(store instanceof SupportsSchemaEvolution evolving)) {
      throw new LockstepException("Cannot " + action + " table '" + table + "': it holds " + existing
          + " but the source now declares " + schema + " (" + (incompatibility != null ? incompatibility
              + "; declare a new source for the new shape)" : "the " + store.name()
              + " offline store cannot add columns to a table; declare a new source)"));
    }
    evolving.evolveSchema(table, schema);
    return true;
  }

  private static void ensureTable(OfflineStore store, String table, Schema schema, String action) {
    if (!store.tables().contains(table)) {
      try {
        store.createTable(table, schema);
      } catch (AlreadyExistsException e) {
        // created concurrently: checked below
      }
    }
    evolve(store, table, schema, action);
  }
}
