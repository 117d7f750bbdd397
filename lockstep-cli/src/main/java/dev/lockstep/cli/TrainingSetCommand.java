package dev.lockstep.cli;

import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetManifest;
import dev.lockstep.core.training.TrainingSetOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;

/** {@code lockstep training-set}: builds a point-in-time-correct training set, or rebuilds one. */
@Command(
    name = "training-set",
    description = {
      "Build a point-in-time-correct training set: Parquet plus manifest.json.",
      "Spine columns pass through unchanged and in order; features are named view__feature."
    })
final class TrainingSetCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @ArgGroup(multiplicity = "1")
  What what;

  static final class What {
    @ArgGroup(exclusive = false)
    Fresh fresh;

    @Option(
        names = "--manifest",
        paramLabel = "FILE",
        description = "Rebuild the training set this manifest.json describes (same bytes).")
    Path manifest;
  }

  static final class Fresh {
    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The feature service.")
    String service;

    @ArgGroup(multiplicity = "1")
    SpineChoice spine;

    @Option(names = "--from", paramLabel = "TIME", description = "With --spine-from: the first event time (ISO-8601, inclusive).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", description = "With --spine-from: the end of event times (ISO-8601, exclusive).")
    Instant to;

    @Option(names = "--timestamp-column", paramLabel = "COLUMN", description = "The spine's time column (default: ts, timestamp or event_time).")
    String timeColumn;

    @Option(names = "--zone", paramLabel = "ZONE", description = "The zone of spine times written without offset, e.g. UTC or Europe/Paris.")
    ZoneId zone;

    @Option(
        names = "--mode",
        paramLabel = "MODE",
        defaultValue = "EVENT_TIME",
        description = "EVENT_TIME (default) or AS_OF_INGEST (only what was ingested before each time).")
    PointInTimeMode mode;
  }

  static final class SpineChoice {
    @Option(names = "--spine", paramLabel = "FILE", description = "A CSV or Parquet spine file (or directory of Parquet files).")
    Path file;

    @Option(names = "--spine-from", paramLabel = "SOURCE", description = "Use every event of SOURCE as the spine.")
    String source;
  }

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty output directory.")
  Path output;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Worker threads (default: one per core).")
  int threads;

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    TrainingSetListener listener = quiet ? TrainingSetListener.QUIET : new ProgressBar(System.err);
    TrainingSetManifest manifest;
    try (Lockstep lockstep = root.project.open()) {
      if (what.manifest != null) {
        manifest = lockstep.rebuild(TrainingSetManifest.read(what.manifest), output, listener);
      } else {
        Fresh fresh = what.fresh;
        TrainingSetOptions options =
            fresh.spine.file != null
                ? TrainingSetOptions.forService(fresh.service, fresh.spine.file, output)
                : TrainingSetOptions.fromSource(fresh.service, fresh.spine.source, fresh.from, fresh.to, output);
        options =
            options
                .withMode(fresh.mode)
                .withTimeColumn(fresh.timeColumn)
                .withZone(fresh.zone)
                .withThreads(threads);
        manifest = lockstep.trainingSet(options, listener);
      }
    }
    if (listener instanceof ProgressBar bar) {
      bar.finish();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int files = manifest.files().size();
    System.out.printf(
        "Wrote %,d rows x %d features to %s in %.1f s (manifest: %s)%n",
        manifest.rows().output(),
        manifest.features().size(),
        files == 1 ? output.resolve(manifest.files().get(0).path()) : output + " (" + files + " Parquet files)",
        seconds,
        output.resolve(TrainingSetManifest.FILE_NAME));
    return 0;
  }
}
