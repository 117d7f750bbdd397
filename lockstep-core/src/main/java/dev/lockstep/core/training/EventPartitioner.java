package dev.lockstep.core.training;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Phase 1 of a training-set build: reads one event group's scan tasks and appends each event that
 * its views accept (no later than their max lateness: {@link
 * dev.lockstep.api.definition.FeatureView#accepts}, the rule the streaming runtime applies too)
 * and that passes the group's filter to the spill file of its key's partition. One instance per
 * worker thread, so every spill file has one writer.
 *
 * <p>Record layout: key, event time, ingest time, sequence, then the group's payload values.
 */
final class EventPartitioner implements AutoCloseable {
  /** A predicate over one row of a batch: the group's filter bound to the batch's schema. */
  interface RowPredicate {
    boolean test(RowBatch batch, int row);
  }

  /** Binds the filter to a batch schema; null when the group has no filter. */
  interface FilterBinder {
    RowPredicate bind(Schema schema);
  }

  /** Whether an event arrived in time to count, by its event and ingest times (epoch millis). */
  interface LatenessRule {
    boolean accepts(long eventTimeMillis, long ingestTimeMillis);
  }

  private final int group;
  private final int worker;
  private final int partitions;
  private final Path directory;
  private final int keyCount;
  private final List<ValueType> payloadTypes;
  private final FilterBinder filter;
  private final LatenessRule lateness;
  private final SpillWriter[] writers;

  EventPartitioner(
      int group,
      int worker,
      int partitions,
      Path directory,
      int keyCount,
      List<ValueType> payloadTypes,
      FilterBinder filter,
      LatenessRule lateness) {
    this.group = group;
    this.worker = worker;
    this.partitions = partitions;
    this.directory = directory;
    this.keyCount = keyCount;
    this.payloadTypes = payloadTypes;
    this.filter = filter;
    this.lateness = lateness;
    this.writers = new SpillWriter[partitions];
  }

  /** The spill file of (group, partition) written by {@code worker}. */
  static Path file(Path directory, int group, int partition, int worker) {
    return directory.resolve("events-g" + group + "-p" + partition + "-w" + worker + ".spill");
  }

  /**
   * Spills every row of {@code task}. The task's columns are the key columns, then the payload
   * columns, then any columns only the filter reads.
   *
   * @param progress told the number of rows read after each batch
   */
  void spill(ScanTask task, LongConsumer progress) {
    try (CloseableIterator<RowBatch> batches = task.open()) {
      RowPredicate predicate = null;
      while (batches.hasNext()) {
        RowBatch batch = batches.next();
        if (predicate == null && filter != null) {
          predicate = filter.bind(batch.schema());
        }
        long[] eventTimes = batch.eventTimes();
        long[] ingestTimes = batch.ingestTimes();
        for (int row = 0; row < batch.size(); row++) {
          if (lateness != null && !lateness.accepts(eventTimes[row], ingestTimes[row])) {
            continue;
          }
          if (predicate != null && !predicate.test(batch, row)) {
            continue;
          }
          Object key = key(batch, row);
          if (key == null) {
            continue;
          }
          SpillWriter out = writer(Keys.partition(key, partitions));
          out.putValue(key);
          out.putLong(eventTimes[row]);
          out.putLong(ingestTimes[row]);
          out.putLong(batch.sequences()[row]);
          for (int column = 0; column < payloadTypes.size(); column++) {
            int position = keyCount + column;
            if (batch.isNull(position, row)) {
              out.putByte(0);
              continue;
            }
            out.putByte(1);
            switch (payloadTypes.get(column)) {
              case LONG -> out.putLong(batch.longs(position)[row]);
              case DOUBLE -> out.putDouble(batch.doubles(position)[row]);
              case STRING -> out.putString(batch.strings(position)[row]);
            }
          }
          out.endRecord();
        }
        progress.accept(batch.size());
      }
    }
  }

  private Object key(RowBatch batch, int row) {
    if (keyCount == 1) {
      return keyPart(batch, 0, row);
    }
    List<Object> parts = new ArrayList<>(keyCount);
    for (int column = 0; column < keyCount; column++) {
      Object part = keyPart(batch, column, row);
      if (part == null) {
        return null;
      }
      parts.add(part);
    }
    return parts;
  }

  private static Object keyPart(RowBatch batch, int column, int row) {
    if (batch.isNull(column, row)) {
      return null;
    }
    return switch (batch.schema().columns().get(column).type()) {
      case LONG -> batch.longs(column)[row];
      case STRING -> batch.strings(column)[row];
      case DOUBLE -> null; // sources declare keys as long or string; validation rejects doubles
    };
  }

  private SpillWriter writer(int partition) {
    SpillWriter writer = writers[partition];
    if (writer == null) {
      writer = new SpillWriter(file(directory, group, partition, worker));
      writers[partition] = writer;
    }
    return writer;
  }

  @Override
  public void close() {
    for (SpillWriter writer : writers) {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
