package dev.lockstep.cli;

import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.materialize.MaterializeResult;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep materialize}: loads the online store from the offline tables, so serving starts
 * from history; streaming resumes after the events the tables hold.
 */
@Command(
    name = "materialize",
    description = {
      "Rebuild the online state of every feature view from the offline tables (stop lockstep serve first).",
      "Streamed events not yet in the tables are applied when streaming starts again.",
      "An interrupted run continues where it stopped if the tables have not changed."
    })
final class MaterializeCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "The first event time to load (ISO-8601, inclusive; default: what each view's windows and TTLs still see).")
  Instant from;

  @Option(names = "--to", paramLabel = "TIME", description = "The end of event times to load (ISO-8601, exclusive; default: none).")
  Instant to;

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() {
    MaterializeOptions options = MaterializeOptions.defaults().withFrom(from).withTo(to);
    ProgressBar bar = quiet ? null : new ProgressBar(System.err);
    MaterializeResult result;
    try (Lockstep lockstep = root.project.open()) {
      result = lockstep.materialize(options, bar == null ? MaterializeListener.QUIET : progress(bar));
    } finally {
      if (bar != null) {
        bar.finish();
      }
    }
    for (MaterializeResult.SourceResult source : result.sources()) {
      System.out.println(summary(source));
    }
    return 0;
  }

  /** Two phases of the bar per chunk: offline rows scanned, then entities written. */
  private static MaterializeListener progress(ProgressBar bar) {
    return new MaterializeListener() {
      @Override
      public void chunkStarted(String source, int chunk, int chunks, long rows) {
        bar.phase(name(source, chunk, chunks) + " reading", rows);
      }

      @Override
      public void scanned(long rows) {
        bar.progress(rows);
      }

      @Override
      public void chunkScanned(String source, int chunk, int chunks, long events, long entities) {
        bar.phase(name(source, chunk, chunks) + " writing", entities);
      }

      @Override
      public void written(long entities) {
        bar.progress(entities);
      }
    };
  }

  private static String name(String source, int chunk, int chunks) {
    return chunks == 1 ? source : source + " " + (chunk + 1) + "/" + chunks;
  }

  static String summary(MaterializeResult.SourceResult source) {
    String views = source.views() + (source.views() == 1 ? " view" : " views");
    String took = String.format("%.1f s", source.took().toNanos() / 1e9);
    if (source.snapshotId().isEmpty()) {
      return source.source() + ": no offline events; " + views + " cleared in " + took;
    }
    String resumed = source.resumedAt() == 0 ? ""
        : String.format(" (continued at chunk %d of %d)", source.resumedAt() + 1, source.chunks());
    return String.format("%s: %,d events, %,d entities, %s from snapshot %d in %s%s", source.source(),
        source.events(), source.entities(), views, source.snapshotId().getAsLong(), took, resumed);
  }
}
