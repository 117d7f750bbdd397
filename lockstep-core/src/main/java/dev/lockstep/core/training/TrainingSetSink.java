package dev.lockstep.core.training;

/**
 * Where one part of a training set's rows goes, in spine order: each spine row with its feature
 * values. A training set is written as consecutive parts of spine rows, in parallel; the caller that chose the spine knows its column types and writes them
 * through unchanged.
 */
public interface TrainingSetSink extends AutoCloseable {

  /**
   * Writes one output row.
   *
   * @param spineRow the spine row's values, as the spine input returned them
   * @param features one value per feature column, in {@link FeatureColumn} order
   */
  void write(Object[] spineRow, Object[] features);

  /** Finishes the output; a sink that is not closed leaves no complete output. */
  @Override
  void close();

  /** Opens the sink of each part. Called from worker threads, once per part. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param part the part's number, from 0; part {@code n} holds the {@code n}-th run of
     *     consecutive spine rows (see {@link TrainingSetBuilder#partRows})
     * @param columns the feature columns, in output order
     */
    TrainingSetSink open(int part, java.util.List<FeatureColumn> columns);
  }
}
