package dev.lockstep.spi.fake;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
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

/** An offline store in memory that keeps only the current snapshot: no snapshot reads. */
public class MemoryOfflineStore implements OfflineStore {
  private record Table(Schema schema, List<Row> rows, List<Snapshot> snapshots) {}

  private final Map<String, Table> tables = new TreeMap<>();
  private long nextSnapshotId = 1;

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String displayName() {
    return "Memory";
  }

  @Override
  public synchronized void createTable(String table, Schema schema) {
    if (tables.containsKey(table)) {
      throw new AlreadyExistsException("Cannot create table '" + table + "': it already exists");
    }
    tables.put(table, new Table(schema, new ArrayList<>(), new ArrayList<>()));
  }

  @Override
  public synchronized List<String> tables() {
    return List.copyOf(tables.keySet());
  }

  @Override
  public synchronized Schema schema(String table) {
    return table(table).schema();
  }

  @Override
  public synchronized long append(String table, List<Row> rows) {
    Table target = table(table);
    rows.forEach(target.schema()::validate);
    target.rows().addAll(rows);
    Snapshot snapshot = new Snapshot(nextSnapshotId++, Instant.now(), Snapshot.Operation.APPEND);
    target.snapshots().clear();
    target.snapshots().add(snapshot);
    return snapshot.id();
  }

  @Override
  public synchronized CloseableIterator<Row> scan(String table, ScanRequest request) {
    Table source = table(table);
    long current = currentSnapshot(table).map(Snapshot::id).orElse(-1L);
    if (request.snapshotId().isPresent() && request.snapshotId().getAsLong() != current) {
      throw UnsupportedBackendOperationException.of(
          this,
          "snapshot reads",
          "scan the latest snapshot, or use an offline store with snapshot reads such as iceberg");
    }
    List<Integer> positions = request.columns().stream().map(source.schema()::position).toList();
    List<Row> result = new ArrayList<>();
    for (Row row : source.rows()) {
      if (request.includes(row.eventTimeMillis())) {
        result.add(positions.isEmpty() ? row : project(row, positions));
      }
    }
    return CloseableIterator.of(result.iterator());
  }

  private static Row project(Row row, List<Integer> positions) {
    List<Object> values = new ArrayList<>();
    positions.forEach(position -> values.add(row.value(position)));
    return new Row(row.eventTimeMillis(), row.ingestTimeMillis(), row.sequence(), values);
  }

  @Override
  public synchronized List<Snapshot> snapshots(String table) {
    return List.copyOf(table(table).snapshots());
  }

  private Table table(String table) {
    Table result = tables.get(table);
    if (result == null) {
      throw new NotFoundException("Cannot find table '" + table + "': no such table in memory");
    }
    return result;
  }

  @Override
  public void close() {}

  /** Registered in META-INF/services. */
  public static final class Factory implements BackendFactory<OfflineStore> {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Class<OfflineStore> role() {
      return OfflineStore.class;
    }

    @Override
    public OfflineStore create(BackendConfig config) {
      return new MemoryOfflineStore();
    }
  }
}
