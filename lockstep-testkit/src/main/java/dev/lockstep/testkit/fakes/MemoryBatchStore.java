package dev.lockstep.testkit.fakes;

import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsBatchScans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hand-written in-memory offline store with batch scans, one snapshot per table, split into
 * several tasks so the builder's parallel paths run.
 */
public final class MemoryBatchStore implements OfflineStore, SupportsBatchScans {
  private final Map<String, Schema> schemas = new TreeMap<>();
  private final Map<String, List<Row>> rows = new TreeMap<>();

  @Override
  public String name() {
    return "memory-batch";
  }

  @Override
  public String displayName() {
    return "Memory (batch)";
  }

  @Override
  public void close() {}

  @Override
  public void createTable(String table, Schema schema) {
    schemas.put(table, schema);
    rows.put(table, new ArrayList<>());
  }

  @Override
  public List<String> tables() {
    return List.copyOf(schemas.keySet());
  }

  @Override
  public Schema schema(String table) {
    Schema schema = schemas.get(table);
    if (schema == null) {
      throw new NotFoundException("no table " + table);
    }
    return schema;
  }

  @Override
  public long append(String table, List<Row> appended) {
    rows.get(table).addAll(appended);
    return 7;
  }

  @Override
  public CloseableIterator<Row> scan(String table, ScanRequest request) {
    throw new UnsupportedOperationException("the builder uses batch scans");
  }

  @Override
  public List<Snapshot> snapshots(String table) {
    return rows.get(table).isEmpty()
        ? List.of()
        : List.of(new Snapshot(7, Instant.EPOCH, Snapshot.Operation.APPEND));
  }

  @Override
  public List<ScanTask> planBatchScan(String table, ScanRequest request, int maxBatchRows) {
    Schema schema = schema(table);
    Schema selected = schema.select(request.columns());
    int[] positions = request.columns().stream().mapToInt(schema::position).toArray();
    List<Row> all = rows.get(table);
    List<ScanTask> tasks = new ArrayList<>();
    int pieces = 3;
    for (int piece = 0; piece < pieces; piece++) {
      List<Row> part = new ArrayList<>();
      for (int i = piece; i < all.size(); i += pieces) {
        if (request.includes(all.get(i).eventTimeMillis())) {
          part.add(all.get(i));
        }
      }
      tasks.add(
          new ScanTask() {
            @Override
            public long estimatedRows() {
              return part.size();
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
}
