package dev.lockstep.cli;

import dev.lockstep.core.Lockstep;
import dev.lockstep.definition.LoadedRepository;
import dev.lockstep.api.definition.FeatureRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep validate}: checks the definitions without touching the registry. */
@Command(name = "validate", description = "Check the feature repository's definitions.")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Override
  public Integer call() {
    try (Lockstep lockstep = root.project.open()) {
      LoadedRepository loaded = lockstep.definitions();
      FeatureRepository repository = loaded.repository();
      System.out.printf(
          "OK: %d files, %d entities, %d sources, %d feature views, %d on-demand views, %d feature services%n",
          loaded.files().size(),
          repository.entities().size(),
          repository.sources().size(),
          repository.featureViews().size(),
          repository.onDemandViews().size(),
          repository.featureServices().size());
      return 0;
    }
  }
}
