package dev.lockstep.cli;

import dev.lockstep.governance.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lockstep audit}: the server's tamper-evident audit log (docs/security.md). */
@Command(
    name = "audit",
    description = "The audit log of lockstep serve: every write, admin action and refused request (docs/security.md).",
    subcommands = {AuditCommand.ListEntries.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @ParentCommand LockstepCommand root;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  Path directory() {
    Path directory = root.project.dataDirectory().resolve("audit");
    if (!Files.exists(directory.resolve(AuditLog.FILE))) {
      throw new dev.lockstep.api.LockstepException("Cannot read the audit log: there is none in " + directory
          + " (lockstep serve writes it; give -C or --data-dir of the project)");
    }
    return directory;
  }

  /** {@code lockstep audit list}. */
  @Command(name = "list", description = "Print the newest entries of the audit log.")
  static final class ListEntries implements Callable<Integer> {
    @ParentCommand AuditCommand audit;

    @Option(names = "--last", paramLabel = "N", description = "How many of the newest entries (default: ${DEFAULT-VALUE}).")
    int last = 50;

    @Override
    public Integer call() {
      List<AuditLog.Entry> entries = AuditLog.list(audit.directory());
      for (AuditLog.Entry entry : entries.subList(Math.max(0, entries.size() - Math.max(0, last)), entries.size())) {
        System.out.printf("%8d  %s  %-16s %-40s %-20s %-14s %s%s%n", entry.seq(), entry.time(), entry.principal(),
            entry.action(), entry.resource(), entry.outcome(), entry.requestId(), entry.signature().isPresent() ? "  signed" : "");
      }
      return 0;
    }
  }

  /** {@code lockstep audit verify}. */
  @Command(name = "verify", description = {"Check the audit log's chain and signatures from its first entry; exit 1",
      "naming the first bad entry (edited, deleted, reordered, forged, or appended after the fact)."})
  static final class Verify implements Callable<Integer> {
    @ParentCommand AuditCommand audit;

    @Option(names = "--open", description = "The server still runs: the log may end after its last signature.")
    boolean open;

    @Override
    public Integer call() {
      AuditLog.Verification verification = AuditLog.verify(audit.directory(), open);
      if (verification.ok()) {
        System.out.printf("audit log verified: %,d entries, %,d signatures%n", verification.entries(),
            verification.signatures());
        return 0;
      }
      System.err.println("lockstep: the audit log does not verify: " + verification.problem().get());
      return 1;
    }
  }
}
