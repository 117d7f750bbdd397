package dev.lockstep.core.online.materialize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code lockstep materialize} did, per source that has feature views.
 *
 * @param sources one result per source, in registry order
 */
public record MaterializeResult(List<SourceResult> sources) {
  public MaterializeResult {
    sources = List.copyOf(sources);
  }

  /**
   * What one source's materialization did.
   *
   * @param source the source
   * @param snapshotId the offline snapshot read; empty if the table has none (the views were
   *     cleared)
   * @param events offline events read into the state (in this run, when resumed)
   * @param entities entities whose state was written (in this run, when resumed)
   * @param views the feature views rebuilt
   * @param chunks the hash chunks of entities
   * @param resumedAt the first chunk this run wrote: 0, or more when it continued an interrupted run
   * @param logOffset the event-log offset the applier resumes at: the stream's events before it are
   *     in the snapshot
   * @param watermark every event of the snapshot was ingested before it; empty with no snapshot
   * @param took the wall-clock time taken
   */
  public record SourceResult(
      String source,
      OptionalLong snapshotId,
      long events,
      long entities,
      int views,
      int chunks,
      int resumedAt,
      long logOffset,
      Optional<Instant> watermark,
      Duration took) {}
}
