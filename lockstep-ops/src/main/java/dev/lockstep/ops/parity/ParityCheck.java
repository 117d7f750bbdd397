package dev.lockstep.ops.parity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded check of the parity invariant (docs/architecture.md, "Semantics") over logged vectors of a feature service:
 * a row of {@link ParityChecks#TABLE}.
 *
 * @param service the feature service checked
 * @param checkedBy who checked: {@link ParityChecks#BY_SERVE} (the {@link ParityMonitor} of {@code
 *     lockstep serve}) or {@link ParityChecks#BY_REPLAY} ({@code lockstep replay})
 * @param checkedAt when the check finished
 * @param extent the log sequences and times of the vectors checked; empty when none was
 * @param vectors logged vectors rebuilt
 * @param values feature values compared
 * @param mismatchedVectors vectors with at least one value that differs
 * @param mismatchedValues values that differ
 * @param firstMismatch the first mismatch in log order, for people ({@link
 *     ReplayReport.Mismatch#describe()}); empty when every value matched
 * @param registryVersions the registry versions the vectors were served at, ascending
 */
public record ParityCheck(
    String service,
    String checkedBy,
    Instant checkedAt,
    Optional<ReplayReport.Extent> extent,
    long vectors,
    long values,
    long mismatchedVectors,
    long mismatchedValues,
    Optional<String> firstMismatch,
    List<Long> registryVersions) {

  public ParityCheck {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(checkedBy, "checkedBy");
    Objects.requireNonNull(checkedAt, "checkedAt");
    Objects.requireNonNull(extent, "extent");
    Objects.requireNonNull(firstMismatch, "firstMismatch");
    registryVersions = List.copyOf(registryVersions);
  }

  /** The check a replay in {@code AS_OF_INGEST} mode made. */
  public static ParityCheck of(ReplayReport report, String checkedBy, Instant checkedAt) {
    return new ParityCheck(report.service(), checkedBy, checkedAt, report.extent(), report.vectors(),
        report.values(), report.mismatchedVectors(), report.mismatches(),
        report.examples().stream().findFirst().map(ReplayReport.Mismatch::describe), report.registryVersions());
  }
}
