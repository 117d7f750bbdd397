package dev.lockstep.core.training;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** Phase 1: spills every group's events and the spine rows into hash partitions. */
final class PartitionPhase {
  private final TrainingPlan plan;
  private final SpineInput spine;
  private final List<List<ScanTask>> tasks;
  private final int partitions;
  private final int partRows;
  private final int threads;
  private final Path directory;
  private final TrainingSetListener listener;
  private final EventPartitioner[][] partitioners;
  private final int[][] keyPositions;
  private final AtomicLong events = new AtomicLong();
  private volatile SpineSummary spineSummary;

  PartitionPhase(
      TrainingPlan plan,
      SpineInput spine,
      List<List<ScanTask>> tasks,
      int partitions,
      int partRows,
      int threads,
      Path directory,
      TrainingSetListener listener) {
    this.partRows = partRows;
    this.plan = plan;
    this.spine = spine;
    this.tasks = tasks;
    this.partitions = partitions;
    this.threads = threads;
    this.directory = directory;
    this.listener = listener;
    this.partitioners = new EventPartitioner[threads][plan.groups().size()];
    this.keyPositions = new int[plan.groups().size()][];
    for (int group = 0; group < plan.groups().size(); group++) {
      keyPositions[group] = keyPositions(plan.groups().get(group), spine.columns());
    }
  }

  private static int[] keyPositions(TrainingPlan.EventGroup group, List<String> spineColumns) {
    List<String> joinKeys = group.entity().joinKeys();
    int[] positions = new int[joinKeys.size()];
    for (int i = 0; i < joinKeys.size(); i++) {
      positions[i] = spineColumns.indexOf(joinKeys.get(i));
      if (positions[i] < 0) {
        throw new InvalidDefinitionException(
            "Cannot build a training set: the spine has no column '"
                + joinKeys.get(i)
                + "', the join key of entity "
                + group.entity().name()
                + " (the spine has "
                + String.join(", ", spineColumns)
                + ")");
      }
    }
    return positions;
  }

  SpineSummary run() {
    long total = tasks.stream().flatMap(List::stream).mapToLong(ScanTask::estimatedRows).sum();
    listener.phase("reading events", total);
    List<Workers.Job> jobs = new ArrayList<>();
    jobs.add(worker -> spillSpine());
    for (int group = 0; group < tasks.size(); group++) {
      int g = group;
      for (ScanTask task : tasks.get(group)) {
        jobs.add(worker -> partitioner(worker, g).spill(task, this::read));
      }
    }
    Workers.run(
        threads,
        jobs,
        worker -> {
          for (EventPartitioner partitioner : partitioners[worker]) {
            if (partitioner != null) {
              partitioner.close();
            }
          }
        });
    SpineSummary summary = spineSummary;
    return new SpineSummary(summary.rows(), summary.minTime(), summary.maxTime(), events.get());
  }

  private void read(long rows) {
    events.addAndGet(rows);
    listener.progress(rows);
  }

  private EventPartitioner partitioner(int worker, int group) {
    EventPartitioner partitioner = partitioners[worker][group];
    if (partitioner == null) {
      TrainingPlan.EventGroup eventGroup = plan.groups().get(group);
      partitioner =
          new EventPartitioner(
              group,
              worker,
              partitions,
              directory,
              eventGroup.source().keyColumns().size(),
              eventGroup.payloadTypes(),
              FilterColumns.binder(eventGroup.filter()),
              eventGroup.latenessRule());
      partitioners[worker][group] = partitioner;
    }
    return partitioner;
  }

  /** The spill file holding the values of the spine rows of output part {@code part}. */
  static Path spineValuesFile(Path directory, int part) {
    return directory.resolve("spine-values-" + part + ".spill");
  }

  private void spillSpine() {
    int groups = plan.groups().size();
    SpillWriter[][] writers = new SpillWriter[groups][partitions];
    SpillWriter values = null;
    int width = spine.columns().size();
    long rows = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    try (CloseableIterator<Object[]> iterator = spine.open()) {
      while (iterator.hasNext()) {
        Object[] row = iterator.next();
        long time;
        try {
          time = spine.timeMillis(row);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "Cannot read spine row " + (rows + 1) + ": " + e.getMessage(), e);
        }
        min = Math.min(min, time);
        max = Math.max(max, time);
        if (rows % partRows == 0) {
          if (values != null) {
            values.close();
          }
          values = new SpillWriter(spineValuesFile(directory, (int) (rows / partRows)));
        }
        for (int column = 0; column < width; column++) {
          values.putValue(row[column]);
        }
        for (int group = 0; group < groups; group++) {
          Object key = Keys.fromSpine(row, keyPositions[group], plan.groups().get(group).keyTypes());
          int partition = key == null ? 0 : Keys.partition(key, partitions);
          SpillWriter out = writers[group][partition];
          if (out == null) {
            out = new SpillWriter(PartitionEvaluator.spineFile(directory, group, partition));
            writers[group][partition] = out;
          }
          out.putLong(rows);
          out.putValue(key);
          out.putLong(time);
          out.endRecord();
        }
        rows++;
      }
    } finally {
      if (values != null) {
        values.close();
      }
      for (SpillWriter[] groupWriters : writers) {
        for (SpillWriter writer : groupWriters) {
          if (writer != null) {
            writer.close();
          }
        }
      }
    }
    spineSummary =
        new SpineSummary(
            rows,
            rows == 0 ? OptionalLong.empty() : OptionalLong.of(min),
            rows == 0 ? OptionalLong.empty() : OptionalLong.of(max),
            0);
  }
}
