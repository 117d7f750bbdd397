package dev.lockstep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lockstep}: the root command; it only lists its subcommands. */
@Command(
    name = "lockstep",
    // inherited: every command and subcommand answers -h/--help (and -V/--version) with exit 0
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Define ML features once; compute them identically for training and serving.",
    subcommands = {
      InitCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      ApplyCommand.class,
      IngestCommand.class,
      MaterializeCommand.class,
      TrainingSetCommand.class,
      StatusCommand.class,
      BreakerCommand.class,
      ReplayCommand.class,
      LineageCommand.class,
      QuarantineCommand.class,
      CleanCommand.class,
      AuthCommand.class,
      AuditCommand.class,
      GenerateCommand.class,
      ServeCommand.class,
      GetCommand.class,
      QuickstartCommand.class,
      picocli.CommandLine.HelpCommand.class
    })
final class LockstepCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin ProjectOptions project;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command (see lockstep --help)");
  }
}
