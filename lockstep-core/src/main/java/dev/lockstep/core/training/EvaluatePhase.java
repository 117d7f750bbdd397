package dev.lockstep.core.training;

import dev.lockstep.api.PointInTimeMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Phase 2: evaluates every (group, partition) on the worker threads. */
final class EvaluatePhase {
  private final TrainingPlan plan;
  private final PointInTimeMode mode;
  private final int partitions;
  private final int partRows;
  private final int threads;
  private final Path directory;
  private final TrainingSetListener listener;

  EvaluatePhase(
      TrainingPlan plan,
      PointInTimeMode mode,
      int partitions,
      int partRows,
      int threads,
      Path directory,
      TrainingSetListener listener) {
    this.partRows = partRows;
    this.plan = plan;
    this.mode = mode;
    this.partitions = partitions;
    this.threads = threads;
    this.directory = directory;
    this.listener = listener;
  }

  void run() {
    int groups = plan.groups().size();
    listener.phase("computing features", (long) groups * partitions);
    PartitionEvaluator[][] evaluators = new PartitionEvaluator[threads][groups];
    List<Workers.Job> jobs = new ArrayList<>();
    for (int group = 0; group < groups; group++) {
      for (int partition = 0; partition < partitions; partition++) {
        int g = group;
        int p = partition;
        jobs.add(
            worker -> {
              PartitionEvaluator evaluator = evaluators[worker][g];
              if (evaluator == null) {
                evaluator = new PartitionEvaluator(plan.groups().get(g), mode);
                evaluators[worker][g] = evaluator;
              }
              evaluator.evaluate(directory, g, p, threads, partRows);
              listener.progress(1);
            });
      }
    }
    Workers.run(threads, jobs, worker -> {});
  }
}
