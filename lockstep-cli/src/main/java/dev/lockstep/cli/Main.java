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

  /**
   * {@code lockstep forget --help} would print the root command's help with exit 0, since picocli
   * honours a help option before it reports the word it did not recognise: say the command is
   * unknown instead (exit 2). Null when the arguments name no unknown command.
   */
  private static Integer unknownCommandWithHelp(CommandLine commandLine, String[] args) {
    CommandLine.ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      return null; // execute() reports it
    }
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    if (!parsed.isUsageHelpRequested() || parsed.unmatched().isEmpty()) {
      return null;
    }
    CommandLine command = parsed.commandSpec().commandLine();
    String word = parsed.unmatched().get(0);
    String name = parsed.commandSpec().qualifiedName();
    command.getErr().println(command.getSubcommands().isEmpty()
        ? "lockstep: '" + word + "' is not an argument of " + name + " (see " + name + " --help)"
        : "lockstep: '" + word + "' is not a command of " + name + " (commands: "
            + String.join(", ", command.getSubcommands().keySet()) + "; see " + name + " --help)");
    return 2;
  }

  /** A command line that does not fit its command: one line saying what to change, exit 2. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    command.getErr().println("lockstep: " + e.getMessage() + " (see " + name + " --help)");
    return 2;
  }

  private static java.time.Instant instant(String text) {
    try {
      return java.time.Instant.parse(text.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw new CommandLine.TypeConversionException("'" + text + "' is not a time (write ISO-8601 in UTC, such as"
          + " 2026-01-31T10:00:00Z)");
    }
  }

  private static java.time.Duration duration(String text) {
    if (text.strip().matches("0+(ms|s|m|h|d)?")) {
      return java.time.Duration.ZERO;
    }
    try {
      return dev.lockstep.definition.Durations.parse(text);
    } catch (dev.lockstep.api.InvalidDefinitionException e) {
      throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (write 90s, 5m, 1h or PT1M)");
    }
  }

  /** Runs the command line and returns its exit code: 0 done, 1 failed, 2 bad usage. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new LockstepCommand());
    commandLine.setExecutionExceptionHandler(new Errors());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.registerConverter(java.time.Instant.class, Main::instant);
    commandLine.registerConverter(java.time.Duration.class, Main::duration);
    commandLine.setParameterExceptionHandler(Main::usageError);
    Integer unknown = unknownCommandWithHelp(commandLine, args);
    return unknown != null ? unknown : commandLine.execute(args);
  }
}
