package dev.lockstep.core.training;

/** Progress of a long training-set build, for a progress bar. Called from worker threads. */
public interface TrainingSetListener {
  /** A listener that ignores everything. */
  TrainingSetListener QUIET = new TrainingSetListener() {};

  /** A phase starts: {@code total} units of work, or -1 if unknown. */
  default void phase(String name, long total) {}

  /** {@code units} more units of the current phase are done. */
  default void progress(long units) {}
}
