package dev.lockstep.core.online.materialize;

/**
 * Progress of {@code lockstep materialize}, for a progress bar. Called on the materializing thread;
 * an exception thrown here stops the run, which a later run resumes at the next chunk not written.
 */
public interface MaterializeListener {
  /** A listener that ignores everything. */
  public MaterializeListener QUIET = new MaterializeListener() {};

  /**
   * Chunk {@code chunk} (from 0) of {@code chunks} of {@code source} starts: a scan of about {@code
   * rows} offline rows.
   */
  default void chunkStarted(String source, int chunk, int chunks, long rows) {}

  /** {@code rows} more offline rows were scanned. */
  default void scanned(long rows) {}

  /**
   * The scan of chunk {@code chunk} is done: {@code events} events of {@code entities} entities are
   * in memory, and their states are built and written next.
   */
  default void chunkScanned(String source, int chunk, int chunks, long events, long entities) {}

  /** The states of {@code entities} more entities were written. */
  default void written(long entities) {}

  /** Chunk {@code chunk} of {@code chunks} of {@code source} is written, with its checkpoint. */
  default void chunkDone(String source, int chunk, int chunks) {}
}
