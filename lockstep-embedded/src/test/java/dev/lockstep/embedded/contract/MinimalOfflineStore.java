package dev.lockstep.embedded.contract;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The least an offline store may be: in memory, the core methods only, no capability mix-in, and
 * neither older snapshots nor dropping tables. A hand-written fake that runs the contract's
 * "lacks a capability" branches, which the Iceberg store never reaches.
 */
final class MinimalOfflineStore implements OfflineStore {
  private final Map<String, Table> tables = new TreeMap<>();
  private long nextSnapshotId = 1;
  private boolean closed;

  private record Table(Schema schema, List<Row> rows, List<Snapshot> snapshots) {}

  @Override
  public String name() {
    return "minimal";
  }

  @Override
  public String displayName() {
    return "Minimal";
  }

  @Override
  public synchronized void createTable(String table, Schema schema) {
    checkOpen();
    if (tables.containsKey(table)) {
      throw new AlreadyExistsException("Cannot create table '" + table + "': it exists");
    }
    tables.put(table, new Table(schema, new ArrayList<>(), new ArrayList<>()));
  }

  @Override
  public synchronized List<String> tables() {
    checkOpen();
    return List.copyOf(tables.keySet());
  }

  @Override
  public synchronized Schema schema(String table) {
    return table(table).schema();
  }

  @Override
  public synchronized long append(String table, List<Row> rows) {
    Table found = table(table);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("Cannot append to table '" + table + "': no rows");
    }
    rows.forEach(found.schema()::validate);
    found.rows().addAll(rows);
    Snapshot snapshot = new Snapshot(nextSnapshotId++, Instant.now(), Snapshot.Operation.APPEND);
    found.snapshots().add(snapshot);
    return snapshot.id();
  }

  /** Reads the current snapshot only: a copy of the rows taken under the lock. */
  @Override
  public synchronized CloseableIterator<Row> scan(String table, ScanRequest request) {
    Table found = table(table);
    Schema selected =
        request.columns().isEmpty() ? found.schema() : found.schema().select(request.columns());
    if (request.snapshotId().isPresent()) {
      long id = request.snapshotId().getAsLong();
      boolean known = found.snapshots().stream().anyMatch(snapshot -> snapshot.id() == id);
      if (!known) {
        throw new NotFoundException("Cannot scan table '" + table + "' at snapshot " + id);
      }
      if (id != found.snapshots().get(found.snapshots().size() - 1).id()) {
        throw UnsupportedBackendOperationException.of(this, "snapshot reads");
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Row row : found.rows()) {
      if (request.includes(row.eventTimeMillis())) {
        List<Object> values = new ArrayList<>();
        selected.columns().forEach(c -> values.add(row.value(found.schema().position(c.name()))));
        rows.add(new Row(row.eventTimeMillis(), row.ingestTimeMillis(), row.sequence(), values));
      }
    }
    return CloseableIterator.of(rows.iterator());
  }

  @Override
  public synchronized List<Snapshot> snapshots(String table) {
    return List.copyOf(table(table).snapshots());
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private Table table(String table) {
    checkOpen();
    Table found = tables.get(table);
    if (found == null) {
      throw new NotFoundException("Cannot find table '" + table + "': no such table");
    }
    return found;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot use the minimal offline store: it is closed");
    }
  }
}
