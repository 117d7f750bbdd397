package dev.lockstep.testkit.fakes;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsBatchScans;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A hand-written in-memory offline store with commit keys, snapshots and batch scans (one task per
 * commit, in batches of at most the requested size), for tests of the online runtime.
 */
public final class MemoryOfflineStore implements SupportsIdempotentAppends, SupportsBatchScans {
  private final Clock clock;
  private final Map<String, Schema> schemas = new TreeMap<>();
  private final Map<String, List<Commit>> commits = new TreeMap<>();
  private long nextSnapshot = 1000;

  private record Commit(Snapshot snapshot, String key, List<Row> rows) {}

  public MemoryOfflineStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized void createTable(String table, Schema schema) {
    if (schemas.containsKey(table)) {
      throw new AlreadyExistsException("table " + table);
    }
    schemas.put(table, schema);
    commits.put(table, new ArrayList<>());
  }

  @Override
  public synchronized List<String> tables() {
    return List.copyOf(schemas.keySet());
  }

  @Override
  public synchronized Schema schema(String table) {
    Schema schema = schemas.get(table);
    if (schema == null) {
      throw new NotFoundException("no table " + table);
    }
    return schema;
  }

  @Override
  public synchronized long append(String table, List<Row> rows) {
    return commit(table, rows, null).id();
  }

  @Override
  public synchronized Appended append(String table, Iterable<Row> rows, String commitKey) {
    Optional<Snapshot> earlier = findCommit(table, commitKey);
    if (earlier.isPresent()) {
      return new Appended(earlier.get(), true);
    }
    List<Row> list = new ArrayList<>();
    rows.forEach(list::add);
    return new Appended(commit(table, list, commitKey), false);
  }

  private Snapshot commit(String table, List<Row> rows, String key) {
    Schema schema = schema(table);
    rows.forEach(schema::validate);
    Snapshot snapshot = new Snapshot(nextSnapshot++, clock.instant(), Snapshot.Operation.APPEND);
    commits.get(table).add(new Commit(snapshot, key, List.copyOf(rows)));
    return snapshot;
  }

  @Override
  public synchronized Optional<Snapshot> findCommit(String table, String commitKey) {
    schema(table);
    return commits.get(table).stream().filter(commit -> commitKey.equals(commit.key())).map(Commit::snapshot).findFirst();
  }

  @Override
  public synchronized long highestSequence(String table) {
    schema(table);
    return commits.get(table).stream().flatMap(commit -> commit.rows().stream()).mapToLong(Row::sequence).max().orElse(0);
  }

  @Override
  public synchronized List<Snapshot> snapshots(String table) {
    schema(table);
    return commits.get(table).stream().map(Commit::snapshot).toList();
  }

  @Override
  public synchronized CloseableIterator<Row> scan(String table, ScanRequest request) {
    Schema schema = schema(table);
    int[] positions = positions(schema, request);
    List<Row> rows = new ArrayList<>();
    for (Commit commit : visible(table, request)) {
      for (Row row : commit.rows()) {
        if (request.includes(row.eventTimeMillis())) {
          List<Object> values = new ArrayList<>();
          for (int position : positions) {
            values.add(row.value(position));
          }
          rows.add(new Row(row.eventTimeMillis(), row.ingestTimeMillis(), row.sequence(), values));
        }
      }
    }
    return CloseableIterator.of(rows.iterator());
  }

  @Override
  public synchronized List<ScanTask> planBatchScan(String table, ScanRequest request, int maxBatchRows) {
    Schema schema = schema(table);
    int[] positions = positions(schema, request);
    Schema selected = request.columns().isEmpty() ? schema : schema.select(request.columns());
    List<ScanTask> tasks = new ArrayList<>();
    for (Commit commit : visible(table, request)) {
      List<Row> part = commit.rows().stream().filter(row -> request.includes(row.eventTimeMillis())).toList();
      tasks.add(new ScanTask() {
        @Override
        public long estimatedRows() {
          return commit.rows().size();
        }

        @Override
        public CloseableIterator<RowBatch> open() {
          List<RowBatch> batches = new ArrayList<>();
          for (int from = 0; from < part.size(); from += maxBatchRows) {
            batches.add(batch(selected, positions, part.subList(from, Math.min(part.size(), from + maxBatchRows))));
          }
          return CloseableIterator.of(batches.iterator());
        }
      });
    }
    return tasks;
  }

  private List<Commit> visible(String table, ScanRequest request) {
    List<Commit> all = commits.get(table);
    if (request.snapshotId().isEmpty()) {
      return all;
    }
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).snapshot().id() == request.snapshotId().getAsLong()) {
        return all.subList(0, i + 1);
      }
    }
    throw new NotFoundException("no snapshot " + request.snapshotId().getAsLong() + " of " + table);
  }

  private static int[] positions(Schema schema, ScanRequest request) {
    if (request.columns().isEmpty()) {
      return java.util.stream.IntStream.range(0, schema.size()).toArray();
    }
    return request.columns().stream().mapToInt(schema::position).toArray();
  }

  private static RowBatch batch(Schema schema, int[] positions, List<Row> part) {
    int size = part.size();
    long[] eventTimes = new long[size];
    long[] ingestTimes = new long[size];
    long[] sequences = new long[size];
    Object[] columns = new Object[positions.length];
    BitSet[] nulls = new BitSet[positions.length];
    for (int c = 0; c < positions.length; c++) {
      nulls[c] = new BitSet();
      columns[c] = switch (schema.columns().get(c).type()) {
        case LONG -> new long[size];
        case DOUBLE -> new double[size];
        case STRING -> new String[size];
      };
    }
    for (int r = 0; r < size; r++) {
      Row row = part.get(r);
      eventTimes[r] = row.eventTimeMillis();
      ingestTimes[r] = row.ingestTimeMillis();
      sequences[r] = row.sequence();
      for (int c = 0; c < positions.length; c++) {
        Object value = row.value(positions[c]);
        if (value == null) {
          nulls[c].set(r);
          continue;
        }
        switch (schema.columns().get(c).type()) {
          case LONG -> ((long[]) columns[c])[r] = (Long) value;
          case DOUBLE -> ((double[]) columns[c])[r] = (Double) value;
          case STRING -> ((String[]) columns[c])[r] = (String) value;
        }
      }
    }
    return new RowBatch(schema, eventTimes, ingestTimes, sequences, columns, nulls);
  }

  @Override
  public void close() {}
}
