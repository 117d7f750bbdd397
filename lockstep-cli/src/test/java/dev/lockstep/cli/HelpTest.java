package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The first thing a new user types: every command and subcommand prints its usage on {@code -h}
 * and {@code --help} with exit 0, required arguments notwithstanding; an unknown command with
 * {@code --help} is called unknown (exit 2) instead of printing the root's help.
 */
class HelpTest {

  @Test
  void everyCommandAndSubcommandPrintsItsHelpWithExitZero() {
    List<String[]> commands = new ArrayList<>();
    collect(new CommandLine(new LockstepCommand()), new ArrayList<>(), commands);
    assertThat(commands).hasSizeGreaterThan(20);
    for (String[] path : commands) {
      String name = "lockstep " + String.join(" ", path);
      for (String flag : List.of("-h", "--help")) {
        String[] args = new String[path.length + 1];
        System.arraycopy(path, 0, args, 0, path.length);
        args[path.length] = flag;
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).as(name + " " + flag + ": " + result.err()).isZero();
        assertThat(result.out()).as(name + " " + flag).startsWith("Usage: " + name.strip() + " ");
        assertThat(result.err()).as(name + " " + flag).isEmpty();
      }
    }
  }

  @Test
  void anUnknownCommandWithHelpIsCalledUnknown() {
    Cli.Result forget = Cli.run("forget", "--help");
    assertThat(forget.exitCode()).isEqualTo(2);
    assertThat(forget.out()).isEmpty();
    assertThat(forget.err()).startsWith("lockstep: 'forget' is not a command of lockstep (commands: init, validate,")
        .endsWith("; see lockstep --help)" + System.lineSeparator());
    Cli.Result sub = Cli.run("breaker", "nope", "-h");
    assertThat(sub.exitCode()).isEqualTo(2);
    assertThat(sub.err()).isEqualTo("lockstep: 'nope' is not a command of lockstep breaker (commands: list, reset;"
        + " see lockstep breaker --help)" + System.lineSeparator());
  }

  private static void collect(CommandLine command, List<String> path, List<String[]> into) {
    into.add(path.toArray(String[]::new));
    for (var entry : command.getSubcommands().entrySet()) {
      if (entry.getKey().equals("help")) {
        continue;
      }
      List<String> next = new ArrayList<>(path);
      next.add(entry.getKey());
      collect(entry.getValue(), next, into);
    }
  }
}
