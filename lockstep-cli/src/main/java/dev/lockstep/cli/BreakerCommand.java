package dev.lockstep.cli;

import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.Monitoring;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep breaker}: shows and resets the sources' circuit breakers (see docs/quality.md). */
@Command(
    name = "breaker",
    description = "Show or reset the circuit breakers of sources with a data contract.",
    subcommands = {BreakerCommand.List.class, BreakerCommand.Reset.class})
final class BreakerCommand {
  @ParentCommand LockstepCommand root;

  /** {@code lockstep breaker list}. */
  @Command(name = "list", description = "Show every breaker: its state, why and since when, and its current window.")
  static final class List implements Callable<Integer> {
    @ParentCommand BreakerCommand parent;

    @Option(names = "--server", paramLabel = "URL", description = "Ask a running lockstep serve, e.g. http://127.0.0.1:6566.")
    URI server;

    @Override
    public Integer call() {
      Map<String, Object> breakers;
      if (server != null) {
        breakers = ServerCall.call(server, "GET", "/v1/breakers");
      } else {
        try (Lockstep lockstep = parent.root.project.open()) {
          breakers = Monitoring.breakers(lockstep);
        }
      }
      if (breakers.isEmpty()) {
        System.out.println("No source has a circuit breaker (declare circuit_breaker in a contract).");
        return 0;
      }
      breakers.forEach((source, state) -> System.out.println(StatusCommand.breakerLine(source, (Map<?, ?>) state)));
      return 0;
    }
  }

  /** {@code lockstep breaker reset SOURCE}. */
  @Command(name = "reset", description = {
      "Close a source's circuit breaker: ingests and pushes are accepted again, and a running server",
      "resumes the source's stream (within a second)."})
  static final class Reset implements Callable<Integer> {
    @ParentCommand BreakerCommand parent;

    @Parameters(paramLabel = "SOURCE", description = "The source.")
    String source;

    @Option(names = "--server", paramLabel = "URL", description = "Reset it through a running lockstep serve.")
    URI server;

    @Override
    public Integer call() {
      Map<String, Object> answer;
      if (server != null) {
        answer = ServerCall.call(server, "POST", "/v1/breakers/" + source + "/reset");
      } else {
        try (Lockstep lockstep = parent.root.project.open()) {
          answer = Monitoring.reset(lockstep, source, "lockstep breaker reset by " + System.getProperty("user.name"));
        }
      }
      Map<?, ?> was = (Map<?, ?>) answer.get("was");
      System.out.println("OPEN".equals(was.get("state"))
          ? "Circuit breaker of " + source + " reset: it was open since " + was.get("since") + " (" + was.get("reason") + ")"
          : "Circuit breaker of " + source + " was not open; its window is cleared");
      return 0;
    }
  }
}
