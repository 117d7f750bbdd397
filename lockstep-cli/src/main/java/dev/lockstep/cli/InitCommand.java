package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lockstep init DIR}: creates a feature repository with the payment-fraud example. */
@Command(
    name = "init",
    description = "Create a feature repository in DIR with the payment-fraud example definitions.")
final class InitCommand implements Callable<Integer> {
  static final List<String> EXAMPLE_FILES = List.of("card.yaml", "features.yaml", "services.yaml", "contracts.yaml");

  @Parameters(index = "0", paramLabel = "DIR", description = "A new or empty directory.")
  Path directory;

  @Override
  public Integer call() {
    try {
      if (Files.exists(directory)) {
        try (var entries = Files.list(directory)) {
          if (entries.findAny().isPresent()) {
            throw new LockstepException(
                "Cannot initialize " + directory + ": the directory is not empty (choose a new one)");
          }
        }
      }
      Files.createDirectories(directory);
      for (String file : EXAMPLE_FILES) {
        try (InputStream in = InitCommand.class.getResourceAsStream("/examples/fraud/" + file)) {
          if (in == null) {
            throw new IllegalStateException("The example file " + file + " is missing from this build");
          }
          Files.copy(in, directory.resolve(file));
        }
      }
      Files.writeString(directory.resolve(".gitignore"), ".lockstep/\n");
      System.out.println("Created feature repository " + directory + " (the payment-fraud example).");
      System.out.println("Next: cd " + directory + " && lockstep plan && lockstep apply");
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot initialize " + directory + ": " + e.getMessage(), e);
    }
  }
}
