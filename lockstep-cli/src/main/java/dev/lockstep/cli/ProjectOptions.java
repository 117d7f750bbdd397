package dev.lockstep.cli;

import dev.lockstep.core.Lockstep;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Where the project is: options of the root command that every subcommand accepts too. */
final class ProjectOptions {
  @Option(
      names = {"-C", "--repo"},
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "The feature repository directory (default: the current directory).",
      defaultValue = ".")
  Path repository;

  @Option(
      names = "--data-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Where the registry and offline store live (default: DIR/.lockstep, or $LOCKSTEP_DATA_DIR).")
  Path dataDirectory;

  Lockstep open() {
    Path data = explicitDataDirectory();
    return data == null ? Lockstep.open(repository) : Lockstep.open(repository, data);
  }

  /** The data directory without opening the project: --data-dir, $LOCKSTEP_DATA_DIR, or DIR/.lockstep. */
  Path dataDirectory() {
    Path data = explicitDataDirectory();
    return data != null ? data : repository.resolve(Lockstep.DEFAULT_DATA_DIRECTORY);
  }

  private Path explicitDataDirectory() {
    if (dataDirectory == null && System.getenv("LOCKSTEP_DATA_DIR") != null) {
      return Path.of(System.getenv("LOCKSTEP_DATA_DIR"));
    }
    return dataDirectory;
  }
}
