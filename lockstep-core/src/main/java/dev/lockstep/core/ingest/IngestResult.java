package dev.lockstep.core.ingest;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one file's ingest did.
 *
 * @param source the source ingested into
 * @param file the file read
 * @param accepted rows appended to the source's offline table
 * @param quarantined rows that did not parse or failed a contract rule, appended to the quarantine
 *     table with their rule and reason
 * @param duplicate whether the same bytes had been ingested before, so nothing was appended now
 * @param snapshotId the offline snapshot holding the rows, if any were appended (or before)
 * @param quarantinedByRule how many rows each rule sent to quarantine ({@code schema} for rows that
 *     do not parse), by rule id
 * @param metrics the file's quality metrics (Deequ's completeness, compliance, uniqueness; see
 *     {@link dev.lockstep.core.quality.QualityMetrics#toMap()}); empty for a duplicate
 */
public record IngestResult(
    String source,
    Path file,
    long accepted,
    long quarantined,
    boolean duplicate,
    OptionalLong snapshotId,
    Map<String, Long> quarantinedByRule,
    Map<String, Object> metrics) {

  public IngestResult {
    quarantinedByRule = Map.copyOf(quarantinedByRule);
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
  }

  /** A result without a breakdown by rule. */
  public IngestResult(String source, Path file, long accepted, long quarantined, boolean duplicate,
      OptionalLong snapshotId) {
    this(source, file, accepted, quarantined, duplicate, snapshotId, Map.of(), Map.of());
  }

  /** Whether nothing could be read: rows were there but none parsed. */
  public boolean nothingRead() {
    return !duplicate && accepted == 0 && quarantined > 0;
  }
}
