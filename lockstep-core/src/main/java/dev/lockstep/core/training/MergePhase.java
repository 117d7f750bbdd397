package dev.lockstep.core.training;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.CloseableIterator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Phase 3: reads the spine again and, for each row, the values its partitions computed, runs the
 * on-demand views and hands the row to the sink, in spine order.
 */
final class MergePhase {
  private final TrainingPlan plan;
  private final SpineInput spine;
  private final int partitions;
  private final Path directory;
  private final OnDemandStep onDemand;
  private final TrainingSetListener listener;
  private final long rows;

  MergePhase(
      TrainingPlan plan,
      SpineInput spine,
      int partitions,
      Path directory,
      OnDemandStep onDemand,
      TrainingSetListener listener,
      long rows) {
    this.plan = plan;
    this.spine = spine;
    this.partitions = partitions;
    this.directory = directory;
    this.onDemand = onDemand;
    this.listener = listener;
    this.rows = rows;
  }

  void run(TrainingSetSink sink) {
    listener.phase("writing rows", rows);
    List<TrainingPlan.EventGroup> groups = plan.groups();
    int[][] keyPositions = new int[groups.size()][];
    int[] featureCounts = new int[groups.size()];
    Map<String, int[]> locations = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      List<String> joinKeys = groups.get(g).entity().joinKeys();
      keyPositions[g] = joinKeys.stream().mapToInt(spine.columns()::indexOf).toArray();
      List<String> columns = groups.get(g).featureColumns();
      featureCounts[g] = columns.size();
      for (int f = 0; f < columns.size(); f++) {
        locations.put(columns.get(f), new int[] {g, f});
      }
    }
    List<TrainingPlan.OutputFeature> outputs = plan.outputs();
    SpillReader[][] readers = new SpillReader[groups.size()][partitions];
    Object[][] values = new Object[groups.size()][];
    for (int g = 0; g < groups.size(); g++) {
      values[g] = new Object[featureCounts[g]];
    }
    long rowIndex = 0;
    try (CloseableIterator<Object[]> iterator = spine.open()) {
      while (iterator.hasNext()) {
        Object[] row = iterator.next();
        for (int g = 0; g < groups.size(); g++) {
          Object key = Keys.fromSpine(row, keyPositions[g], groups.get(g).keyTypes());
          int partition = key == null ? 0 : Keys.partition(key, partitions);
          SpillReader in = readers[g][partition];
          if (in == null) {
            in = new SpillReader(PartitionEvaluator.resultFile(directory, g, partition));
            readers[g][partition] = in;
          }
          long stored = in.getLong();
          if (stored != rowIndex) {
            throw new CorruptDataException(
                "Cannot merge the training set: spine row "
                    + rowIndex
                    + " found row "
                    + stored
                    + " in its partition (did the spine change while it was read?)");
          }
          for (int f = 0; f < featureCounts[g]; f++) {
            values[g][f] = in.getValue();
          }
        }
        Map<String, Object> onDemandValues = Map.of();
        if (!onDemand.isEmpty()) {
          Map<String, Object> computed = new HashMap<>();
          locations.forEach((column, at) -> computed.put(column, values[at[0]][at[1]]));
          onDemandValues = onDemand.compute(computed, row);
        }
        Object[] features = new Object[outputs.size()];
        for (int i = 0; i < outputs.size(); i++) {
          int[] at = locations.get(outputs.get(i).column());
          features[i] =
              outputs.get(i).definition() == null
                  ? onDemandValues.get(outputs.get(i).column())
                  : values[at[0]][at[1]];
        }
        sink.write(row, features);
        rowIndex++;
        if ((rowIndex & 0xFFFF) == 0) {
          listener.progress(0x10000);
        }
      }
    } finally {
      for (SpillReader[] groupReaders : readers) {
        for (SpillReader reader : groupReaders) {
          if (reader != null) {
            reader.close();
          }
        }
      }
    }
    if (rowIndex != rows) {
      throw new CorruptDataException(
          "Cannot merge the training set: the spine had "
              + rows
              + " rows when partitioned and "
              + rowIndex
              + " now (did it change while it was read?)");
    }
  }
}
