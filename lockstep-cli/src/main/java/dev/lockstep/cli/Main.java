package dev.lockstep.cli;

import picocli.CommandLine;

/** The {@code lockstep} command's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code: 0 done, 1 failed, 2 bad usage. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new LockstepCommand());
    commandLine.setExecutionExceptionHandler(new Errors());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine.execute(args);
  }
}
