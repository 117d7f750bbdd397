package dev.lockstep.core.training;

import dev.lockstep.api.PointInTimeMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What training set to build: a feature service, a spine (a file, or every event of a source in a
 * time range), a mode and an output directory. Immutable; start from {@link #forService} and use
 * the {@code withX} copies.
 *
 * @param service the feature service
 * @param spineFile a CSV or Parquet spine file or directory, or empty when the spine comes from a
 *     source
 * @param spineSource the source whose events form the spine, or empty for a file spine
 * @param from the inclusive start of a source spine's event times, if bounded
 * @param to the exclusive end of a source spine's event times, if bounded
 * @param timeColumn the spine's time column; empty to use {@code ts}, {@code timestamp} or {@code
 *     event_time}, whichever the spine has
 * @param zone the zone of zone-less spine times, if any
 * @param mode the point-in-time mode
 * @param output the directory to write {@code part-00000.parquet} and {@code manifest.json} into
 * @param threads worker threads, 0 for one per core
 * @param pinnedSnapshots offline snapshots to read instead of the current ones (a rebuild)
 */
public record TrainingSetOptions(
    String service,
    Optional<Path> spineFile,
    Optional<String> spineSource,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<String> timeColumn,
    Optional<ZoneId> zone,
    PointInTimeMode mode,
    Path output,
    int threads,
    Map<String, Long> pinnedSnapshots) {

  public TrainingSetOptions {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(mode, "mode");
    pinnedSnapshots = Map.copyOf(pinnedSnapshots);
    if (spineFile.isPresent() == spineSource.isPresent()) {
      throw new IllegalArgumentException(
          "Cannot build a training set: give either a spine file or a spine source, not "
              + (spineFile.isPresent() ? "both" : "neither"));
    }
  }

  /** Options for {@code service} with a spine file, in EVENT_TIME mode. */
  public static TrainingSetOptions forService(String service, Path spineFile, Path output) {
    return new TrainingSetOptions(
        service,
        Optional.of(spineFile),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        PointInTimeMode.EVENT_TIME,
        output,
        0,
        Map.of());
  }

  /** Options for {@code service} whose spine is every event of {@code source} in [from, to). */
  public static TrainingSetOptions fromSource(
      String service, String source, Instant from, Instant to, Path output) {
    return new TrainingSetOptions(
        service,
        Optional.empty(),
        Optional.of(source),
        Optional.ofNullable(from),
        Optional.ofNullable(to),
        Optional.empty(),
        Optional.empty(),
        PointInTimeMode.EVENT_TIME,
        output,
        0,
        Map.of());
  }

  public TrainingSetOptions withMode(PointInTimeMode mode) {
    return new TrainingSetOptions(service, spineFile, spineSource, from, to, timeColumn, zone, mode, output, threads, pinnedSnapshots);
  }

  public TrainingSetOptions withTimeColumn(String column) {
    return new TrainingSetOptions(service, spineFile, spineSource, from, to, Optional.ofNullable(column), zone, mode, output, threads, pinnedSnapshots);
  }

  public TrainingSetOptions withZone(ZoneId zone) {
    return new TrainingSetOptions(service, spineFile, spineSource, from, to, timeColumn, Optional.ofNullable(zone), mode, output, threads, pinnedSnapshots);
  }

  public TrainingSetOptions withThreads(int threads) {
    return new TrainingSetOptions(service, spineFile, spineSource, from, to, timeColumn, zone, mode, output, threads, pinnedSnapshots);
  }

  public TrainingSetOptions withPinnedSnapshots(Map<String, Long> snapshots) {
    return new TrainingSetOptions(service, spineFile, spineSource, from, to, timeColumn, zone, mode, output, threads, snapshots);
  }

  public TrainingSetOptions withOutput(Path output) {
    return new TrainingSetOptions(service, spineFile, spineSource, from, to, timeColumn, zone, mode, output, threads, pinnedSnapshots);
  }
}
