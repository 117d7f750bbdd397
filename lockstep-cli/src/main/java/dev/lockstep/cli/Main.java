package dev.lockstep.cli;

import picocli.CommandLine;

/** The {@code lockstep} command's entry point. */
public final class Main {
  private Main() {}

  /** Undertow and XNIO log their start-up at INFO through java.util.logging; the CLI keeps quiet. */
  private static final java.util.logging.Logger[] QUIET = {
    java.util.logging.Logger.getLogger("io.undertow"), java.util.logging.Logger.getLogger("org.xnio")
  };

  static {
    for (java.util.logging.Logger logger : QUIET) {
      logger.setLevel(java.util.logging.Level.WARNING);
    }
  }

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
