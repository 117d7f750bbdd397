package dev.lockstep.cli;

import dev.lockstep.core.Lockstep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep clean}: deletes the data files a killed append left in the offline tables. */
@Command(
    name = "clean",
    description = {
      "Delete the data files of the offline tables that no snapshot references: what a process killed while it",
      "appended left behind (Iceberg never reads them; a plain glob of the table's directory would). lockstep serve",
      "does the same at start for files older than an hour."
    })
final class CleanCommand implements Callable<Integer> {
  /** The age below which a file may still belong to an append in progress. */
  static final Duration OLDER_THAN_DEFAULT = Duration.ofHours(1);

  @ParentCommand LockstepCommand root;

  @Option(names = "--older-than", paramLabel = "DURATION",
      description = "Only files last written before this long ago (default: 1h; 0s is safe only while nothing writes).")
  Duration olderThan = OLDER_THAN_DEFAULT;

  @Option(names = "--dry-run", description = "List the files without deleting them.")
  boolean dryRun;

  @Override
  public Integer call() {
    try (Lockstep lockstep = root.project.open()) {
      Map<String, List<String>> found = lockstep.cleanOrphanFiles(olderThan, dryRun);
      long files = found.values().stream().mapToLong(List::size).sum();
      found.forEach((table, paths) -> paths.forEach(path -> System.out.println(table + ": " + path)));
      System.out.printf("%s %d orphan data file%s in %d table%s%n", dryRun ? "found" : "deleted", files,
          files == 1 ? "" : "s", found.size(), found.size() == 1 ? "" : "s");
      return 0;
    }
  }
}
