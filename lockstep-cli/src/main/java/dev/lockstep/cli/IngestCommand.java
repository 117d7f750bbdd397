package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.definition.Source;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.ingest.IngestResult;
import dev.lockstep.core.ingest.Ingester;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code lockstep ingest SOURCE [FILE...]}: appends files to the source's offline table, one commit
 * per file; exits 1 only if a file could not be read at all.
 */
@Command(
    name = "ingest",
    description = {
      "Append files of events to a source's offline table (Iceberg), one snapshot per file.",
      "Rows that do not parse or fail the source's data contract go to the table SOURCE__quarantine with the",
      "rule, the reason, file and row, and the raw row (see lockstep quarantine list).",
      "A file ingested before (same bytes) is skipped."
    })
final class IngestCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Parameters(index = "0", paramLabel = "SOURCE", description = "The source, as applied.")
  String source;

  @Parameters(
      index = "1..*",
      paramLabel = "FILE",
      description = "Files to ingest (default: the source's path, relative to the repository).")
  List<Path> files = List.of();

  @Override
  public Integer call() {
    try (Lockstep lockstep = root.project.open()) {
      List<Path> targets = files;
      if (targets.isEmpty()) {
        Source definition = lockstep.appliedSource(source);
        if (definition.path().isEmpty()) {
          throw new LockstepException(
              "Cannot ingest into " + source + ": give the files to ingest (the source declares no path)");
        }
        targets = List.of(lockstep.repository().resolve(definition.path()));
      }
      int failures = 0;
      for (Path file : expand(targets)) {
        try {
          IngestResult result = lockstep.ingest(source, file);
          System.out.println(summary(result));
          if (result.nothingRead()) {
            failures++;
          }
        } catch (LockstepException e) {
          System.err.println("lockstep: " + e.getMessage());
          failures++;
        }
      }
      return failures == 0 ? 0 : 1;
    }
  }

  /** The files given, a directory standing for the regular files in it (not hidden, in name order). */
  private static List<Path> expand(List<Path> targets) {
    List<Path> files = new java.util.ArrayList<>();
    for (Path target : targets) {
      if (!java.nio.file.Files.isDirectory(target)) {
        files.add(target);
        continue;
      }
      try (java.util.stream.Stream<Path> listed = java.nio.file.Files.list(target)) {
        listed.filter(java.nio.file.Files::isRegularFile)
            .filter(file -> !file.getFileName().toString().startsWith("."))
            .sorted()
            .forEach(files::add);
      } catch (java.io.IOException e) {
        throw new LockstepException("Cannot list " + target + ": " + dev.lockstep.io.IoReasons.of(e));
      }
    }
    return files;
  }

  private static String summary(IngestResult result) {
    String snapshot = result.snapshotId().isPresent() ? " (snapshot " + result.snapshotId().getAsLong() + ")" : "";
    if (result.duplicate()) {
      return result.file() + ": already ingested" + snapshot + "; nothing appended";
    }
    String quarantine =
        result.quarantined() == 0
            ? ""
            : ", " + result.quarantined() + " quarantined in " + Ingester.quarantineTable(result.source())
                + (result.quarantinedByRule().isEmpty() ? "" : " " + new java.util.TreeMap<>(result.quarantinedByRule()));
    return result.file() + ": " + result.accepted() + " rows accepted" + quarantine + snapshot;
  }
}
