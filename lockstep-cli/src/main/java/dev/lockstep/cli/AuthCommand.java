package dev.lockstep.cli;

import dev.lockstep.governance.Authenticator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep auth}: credentials for servers with {@code auth:} in lockstep.yaml. */
@Command(
    name = "auth",
    description = "Credentials for a server with auth: in lockstep.yaml (docs/security.md).",
    subcommands = {AuthCommand.NewKey.class})
final class AuthCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /** {@code lockstep auth new-key}: a fresh API key and the lockstep.yaml entry that accepts it. */
  @Command(
      name = "new-key",
      description = {
        "Print a new random API key, and the entry of auth.api_keys in lockstep.yaml that accepts it.",
        "The file holds only the key's SHA-256; give the key to its holder, who sends it as X-API-Key."
      })
  static final class NewKey implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who holds the key (a service, a person).")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", split = ",", description = "Roles the key grants (repeat or separate with commas).")
    List<String> roles = List.of();

    @Override
    public Integer call() {
      if (!name.matches("[A-Za-z0-9_.@-]+")) {
        throw new dev.lockstep.api.LockstepException("Cannot make a key for '" + name
            + "': use letters, digits and _ . @ - in the name");
      }
      String key = Authenticator.newKey();
      System.out.println("key: " + key);
      System.out.println("# in lockstep.yaml, under auth.api_keys:");
      System.out.println("    - {name: " + name + ", sha256: " + Authenticator.sha256(key) + ", roles: ["
          + String.join(", ", roles) + "]}");
      return 0;
    }
  }
}
