package dev.lockstep.core.training;

import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.EventSchema;
import dev.lockstep.engine.event.IndexSort;
import dev.lockstep.engine.sweep.LatestValueSweep;
import dev.lockstep.engine.sweep.PointInTimeSweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Phase 2 of a training-set build: for one (event group, partition), loads the partition's events
 * and spine rows, evaluates every feature of the group at every spine row's time with the engine's
 * sweeps, one entity at a time, and writes the values to the partition's result files (one per
 * output part) in spine order.
 *
 * <p>Algorithm: entity keys get dense ids ({@link EntityDictionary}); events and spine rows are
 * bucketed by entity with a stable counting sort; each entity's bucket is put in time order (one
 * check when the scan already gave that order) and bulk-copied into a reused {@link EventBlock}. Spine rows whose
 * entity has no events are evaluated against an empty block (counts 0, means null, ...).
 *
 * <p>Result record layout: spine row index, then one value per feature column of the group.
 */
final class PartitionEvaluator {
  private final EventSchema schema;
  private final PointInTimeSweep windowed;
  private final LatestValueSweep latest;
  private final int featureCount;
  private final EventBlock entityEvents;
  private final EventBlock empty;

  PartitionEvaluator(TrainingPlan.EventGroup group, PointInTimeMode mode) {
    Object[] namesAndTypes = new Object[group.payloadColumns().size() * 2];
    for (int i = 0; i < group.payloadColumns().size(); i++) {
      namesAndTypes[2 * i] = group.payloadColumns().get(i);
      namesAndTypes[2 * i + 1] = group.payloadTypes().get(i);
    }
    this.schema = EventSchema.of(namesAndTypes);
    this.windowed = PointInTimeSweep.bind(schema, group.windowed(), mode);
    this.latest = LatestValueSweep.bind(schema, group.latest(), mode);
    this.featureCount = group.windowed().size() + group.latest().size();
    this.entityEvents = new EventBlock(schema, 1024);
    this.empty = new EventBlock(schema, 1);
  }

  /** The values computed for the spine rows of output part {@code part} in a partition. */
  static Path resultFile(Path directory, int group, int partition, int part) {
    return directory.resolve("result-g" + group + "-p" + partition + "-part" + part + ".spill");
  }

  static Path spineFile(Path directory, int group, int partition) {
    return directory.resolve("spine-g" + group + "-p" + partition + ".spill");
  }

  /** Evaluates partition {@code partition} of group {@code group}; returns the spine rows done. */
  long evaluate(Path directory, int group, int partition, int workers, int partRows) {
    EventBlock events = new EventBlock(schema, 1024);
    EntityDictionary entities = new EntityDictionary();
    int[] eventEntity = loadEvents(directory, group, partition, workers, events, entities);
    SpineRows spine = loadSpine(spineFile(directory, group, partition), entities);
    Object[][] values = new Object[featureCount][spine.size];
    int entityCount = entities.size();
    int[] eventStart = bucketStarts(eventEntity, events.size(), entityCount);
    int[] eventOrder = bucketOrder(eventEntity, events.size(), eventStart);
    // spine rows of unknown entities go to the extra bucket entityCount
    int[] spineEntity = Arrays.copyOf(spine.entity, spine.size);
    for (int i = 0; i < spine.size; i++) {
      if (spineEntity[i] < 0) {
        spineEntity[i] = entityCount;
      }
    }
    int[] spineStart = bucketStarts(spineEntity, spine.size, entityCount + 1);
    int[] spineOrder = bucketOrder(spineEntity, spine.size, spineStart);
    Object[][] scratch = new Object[featureCount][];
    for (int entity = 0; entity <= entityCount; entity++) {
      int from = spineStart[entity];
      int to = spineStart[entity + 1];
      if (from == to) {
        continue;
      }
      EventBlock block = empty;
      if (entity < entityCount) {
        block = entityEvents;
        block.clear();
        sortByTime(events, eventOrder, eventStart[entity], eventStart[entity + 1]);
        block.appendRows(events, eventOrder, eventStart[entity], eventStart[entity + 1]);
      }
      long[] times = new long[to - from];
      for (int i = from; i < to; i++) {
        times[i - from] = spine.time[spineOrder[i]];
      }
      for (int feature = 0; feature < featureCount; feature++) {
        if (scratch[feature] == null || scratch[feature].length < times.length) {
          scratch[feature] = new Object[Math.max(times.length, 64)];
        }
      }
      windowed.evaluate(block, times, scratch);
      latest.evaluate(block, times, scratch, windowed.featureNames().size());
      for (int i = from; i < to; i++) {
        int row = spineOrder[i];
        for (int feature = 0; feature < featureCount; feature++) {
          values[feature][row] = scratch[feature][i - from];
        }
      }
    }
    SpillWriter out = null;
    long currentPart = -1;
    try {
      for (int row = 0; row < spine.size; row++) {
        long part = spine.rowIndex[row] / partRows;
        if (part != currentPart) {
          if (out != null) {
            out.close();
          }
          out = new SpillWriter(resultFile(directory, group, partition, (int) part));
          currentPart = part;
        }
        out.putLong(spine.rowIndex[row]);
        for (int feature = 0; feature < featureCount; feature++) {
          out.putValue(values[feature][row]);
        }
        out.endRecord();
      }
    } finally {
      if (out != null) {
        out.close();
      }
    }
    return spine.size;
  }

  private int[] loadEvents(
      Path directory,
      int group,
      int partition,
      int workers,
      EventBlock events,
      EntityDictionary entities) {
    int[] entityOf = new int[1024];
    for (int worker = 0; worker < workers; worker++) {
      Path file = EventPartitioner.file(directory, group, partition, worker);
      if (!Files.exists(file)) {
        continue;
      }
      try (SpillReader in = new SpillReader(file)) {
        while (!in.atEnd()) {
          int entity = entities.read(in);
          int row = events.append(in.getLong(), in.getLong(), in.getLong());
          for (int column = 0; column < schema.size(); column++) {
            if (in.getByte() == 0) {
              continue;
            }
            switch (schema.type(column)) {
              case LONG -> events.setLong(column, row, in.getLong());
              case DOUBLE -> events.setDouble(column, row, in.getDouble());
              case STRING -> events.setString(column, row, in.getString());
            }
          }
          if (row == entityOf.length) {
            entityOf = Arrays.copyOf(entityOf, row * 2);
          }
          entityOf[row] = entity;
        }
      }
    }
    return entityOf;
  }

  private static SpineRows loadSpine(Path file, EntityDictionary entities) {
    SpineRows rows = new SpineRows();
    if (!Files.exists(file)) {
      return rows;
    }
    try (SpillReader in = new SpillReader(file)) {
      while (!in.atEnd()) {
        long rowIndex = in.getLong();
        Object key = in.getValue();
        long time = in.getLong();
        rows.add(rowIndex, key == null ? -1 : entities.find(key), time);
      }
    }
    return rows;
  }

  /**
   * Orders {@code order[from..to)}, one entity's rows, by (event time, ingest time, sequence).
   * Scan order is mostly time order already, so the common case is one check.
   */
  private static void sortByTime(EventBlock events, int[] order, int from, int to) {
    long[] eventTimes = events.eventTimes();
    long[] ingestTimes = events.ingestTimes();
    long[] sequences = events.sequences();
    IndexSort.RowComparator byTime =
        (left, right) -> {
          int compared = Long.compare(eventTimes[left], eventTimes[right]);
          if (compared == 0) {
            compared = Long.compare(ingestTimes[left], ingestTimes[right]);
          }
          return compared != 0 ? compared : Long.compare(sequences[left], sequences[right]);
        };
    boolean sorted = true;
    for (int i = from + 1; i < to && sorted; i++) {
      sorted = byTime.compare(order[i - 1], order[i]) <= 0;
    }
    if (!sorted) {
      int[] slice = Arrays.copyOfRange(order, from, to);
      IndexSort.sort(slice, byTime);
      System.arraycopy(slice, 0, order, from, slice.length);
    }
  }

  /** starts[b] = first position of bucket b in the sorted order; starts[buckets] = size. */
  private static int[] bucketStarts(int[] bucketOf, int size, int buckets) {
    int[] starts = new int[buckets + 1];
    for (int i = 0; i < size; i++) {
      starts[bucketOf[i] + 1]++;
    }
    for (int b = 0; b < buckets; b++) {
      starts[b + 1] += starts[b];
    }
    return starts;
  }

  /** Indexes 0..size-1 ordered by bucket, stable within a bucket. */
  private static int[] bucketOrder(int[] bucketOf, int size, int[] starts) {
    int[] next = Arrays.copyOf(starts, starts.length);
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[next[bucketOf[i]]++] = i;
    }
    return order;
  }

  /** The spine rows of one partition, in spine order. */
  private static final class SpineRows {
    long[] rowIndex = new long[256];
    int[] entity = new int[256];
    long[] time = new long[256];
    int size;

    void add(long index, int entityId, long t) {
      if (size == rowIndex.length) {
        rowIndex = Arrays.copyOf(rowIndex, size * 2);
        entity = Arrays.copyOf(entity, size * 2);
        time = Arrays.copyOf(time, size * 2);
      }
      rowIndex[size] = index;
      entity[size] = entityId;
      time[size] = t;
      size++;
    }
  }

}
