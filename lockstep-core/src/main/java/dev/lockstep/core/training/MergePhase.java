package dev.lockstep.core.training;

import dev.lockstep.api.CorruptDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Phase 3: writes the output parts in parallel. Part {@code n} holds spine rows {@code [n *
 * partRows, (n + 1) * partRows)}: for each, in spine order, the spilled spine values, the values
 * its partitions computed (the partition is recomputed from the key), and the on-demand features.
 */
final class MergePhase {
  private final TrainingPlan plan;
  private final List<String> spineColumns;
  private final int partitions;
  private final int partRows;
  private final int threads;
  private final Path directory;
  private final OnDemandStep onDemand;
  private final TrainingSetListener listener;
  private final long rows;

  MergePhase(
      TrainingPlan plan,
      List<String> spineColumns,
      int partitions,
      int partRows,
      int threads,
      Path directory,
      OnDemandStep onDemand,
      TrainingSetListener listener,
      long rows) {
    this.partRows = partRows;
    this.plan = plan;
    this.spineColumns = spineColumns;
    this.partitions = partitions;
    this.threads = threads;
    this.directory = directory;
    this.onDemand = onDemand;
    this.listener = listener;
    this.rows = rows;
  }

  /** The number of output parts for {@code rows} spine rows: at least one, so there is a schema. */
  static int parts(long rows, int partRows) {
    return (int) Math.max(1, (rows + partRows - 1) / partRows);
  }

  void run(TrainingSetSink.Factory sinks, List<FeatureColumn> columns) {
    listener.phase("writing rows", rows);
    List<Workers.Job> jobs = new ArrayList<>();
    for (int part = 0; part < parts(rows, partRows); part++) {
      int p = part;
      jobs.add(worker -> writePart(p, sinks, columns));
    }
    Workers.run(threads, jobs, worker -> {});
  }

  private void writePart(int part, TrainingSetSink.Factory sinks, List<FeatureColumn> columns) {
    List<TrainingPlan.EventGroup> groups = plan.groups();
    int[][] keyPositions = new int[groups.size()][];
    int[] featureCounts = new int[groups.size()];
    Map<String, int[]> locations = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      keyPositions[g] = groups.get(g).entity().joinKeys().stream().mapToInt(spineColumns::indexOf).toArray();
      List<String> featureColumns = groups.get(g).featureColumns();
      featureCounts[g] = featureColumns.size();
      for (int f = 0; f < featureColumns.size(); f++) {
        locations.put(featureColumns.get(f), new int[] {g, f});
      }
    }
    List<TrainingPlan.OutputFeature> outputs = plan.outputs();
    int[][] outputLocations = new int[outputs.size()][];
    for (int i = 0; i < outputs.size(); i++) {
      outputLocations[i] = outputs.get(i).definition() == null ? null : locations.get(outputs.get(i).column());
    }
    long first = (long) part * partRows;
    long end = Math.min(rows, first + partRows);
    SpillReader[][] readers = new SpillReader[groups.size()][partitions];
    Object[][] values = new Object[groups.size()][];
    for (int g = 0; g < groups.size(); g++) {
      values[g] = new Object[featureCounts[g]];
    }
    int width = spineColumns.size();
    Path spineValues = PartitionPhase.spineValuesFile(directory, part);
    SpillReader spine = Files.exists(spineValues) ? new SpillReader(spineValues) : null;
    try (TrainingSetSink sink = sinks.open(part, columns)) {
      for (long rowIndex = first; rowIndex < end; rowIndex++) {
        Object[] row = new Object[width];
        for (int column = 0; column < width; column++) {
          row[column] = spine.getValue();
        }
        for (int g = 0; g < groups.size(); g++) {
          Object key = Keys.fromSpine(row, keyPositions[g], groups.get(g).keyTypes());
          int partition = key == null ? 0 : Keys.partition(key, partitions);
          SpillReader in = readers[g][partition];
          if (in == null) {
            in = new SpillReader(PartitionEvaluator.resultFile(directory, g, partition, part));
            readers[g][partition] = in;
          }
          long stored = in.getLong();
          if (stored != rowIndex) {
            throw new CorruptDataException(
                "Cannot merge the training set: spine row "
                    + rowIndex
                    + " found row "
                    + stored
                    + " in its partition (a bug: please report it)");
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
          int[] at = outputLocations[i];
          features[i] = at == null ? onDemandValues.get(outputs.get(i).column()) : values[at[0]][at[1]];
        }
        sink.write(row, features);
        if (((rowIndex + 1) & 0xFFFF) == 0) {
          listener.progress(0x10000);
        }
      }
    } finally {
      if (spine != null) {
        spine.close();
      }
      for (SpillReader[] groupReaders : readers) {
        for (SpillReader reader : groupReaders) {
          if (reader != null) {
            reader.close();
          }
        }
      }
    }
  }
}
