package dev.lockstep.core.training;

/**
 * Where a training set's rows go, in spine order: each spine row with its feature values. The
 * caller that chose the spine knows its column types and writes them through unchanged.
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
}
