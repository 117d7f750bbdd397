package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.parity.Replay;
import dev.lockstep.ops.parity.ReplayReport;
import dev.lockstep.spi.BackendException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep replay}: checks the parity invariant over a service's feature log and records the
 * result in {@code lockstep__parity_checks} (see docs/parity.md). Exits 1 when a value differs.
 */
@Command(
    name = "replay",
    description = {
      "Rebuild every vector logged for a feature service (lockstep serve --log-features) offline, in",
      "AS_OF_INGEST mode at the time it was served, and compare it value for value with what was served.",
      "Exits 1 if any value differs. Stop lockstep serve first: its streamed events must reach the offline tables.",
      "The result is recorded in the offline table lockstep__parity_checks (see docs/parity.md)."
    })
final class ReplayCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Option(names = "--service", required = true, paramLabel = "NAME", description = "The feature service.")
  String service;

  @Option(names = "--from", paramLabel = "TIME", description = "Only vectors served at or after TIME (ISO-8601).")
  Instant from;

  @Option(names = "--to", paramLabel = "TIME", description = "Only vectors served before TIME (ISO-8601).")
  Instant to;

  @Override
  public Integer call() {
    ReplayReport report;
    try (Lockstep lockstep = root.project.open()) {
      flushStreamedEvents(lockstep);
      report = Replay.check(lockstep, service, Optional.ofNullable(from), Optional.ofNullable(to));
    }
    System.out.printf("replay %s: %,d vectors, %,d feature values, %,d mismatches%n",
        report.service(), report.vectors(), report.values(), report.mismatches());
    if (!report.onDemandCompared().isEmpty()) {
      System.out.println("  on-demand features compared: " + String.join(", ", report.onDemandCompared()));
    }
    if (!report.notCompared().isEmpty()) {
      System.out.println("  not compared on vectors logged before the log kept request fields: "
          + String.join(", ", report.notCompared()));
    }
    for (ReplayReport.Mismatch mismatch : report.examples()) {
      System.out.println("  " + mismatch.describe());
    }
    if (report.mismatches() > report.examples().size()) {
      System.out.printf("  ... and %,d more%n", report.mismatches() - report.examples().size());
    }
    return report.matches() ? 0 : 1;
  }

  /** Appends the events the event log holds beyond the offline tables, if this project streamed. */
  private void flushStreamedEvents(Lockstep lockstep) {
    if (!Files.isDirectory(lockstep.dataDirectory().resolve("online"))) {
      return;
    }
    try {
      lockstep.online().flushOffline();
    } catch (BackendException e) {
      throw new LockstepException("Cannot replay service '" + service + "': cannot open the online runtime to"
          + " append its streamed events to the offline tables (" + e.getMessage() + "); stop lockstep serve"
          + " first, then run lockstep replay again", e);
    }
  }
}
