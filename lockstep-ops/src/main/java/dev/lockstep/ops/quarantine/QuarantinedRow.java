package dev.lockstep.ops.quarantine;

import dev.lockstep.core.quality.Quarantine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of a source's quarantine as an operator sees it: what {@link Quarantine#SCHEMA} holds,
 * plus whether it was replayed since (recorded in {@value QuarantineReplay#TABLE}).
 *
 * @param id the row's sequence in {@code <source>__quarantine}; ids only grow, a row quarantined
 *     again on replay gets a new one
 * @param quarantinedAt when it was quarantined
 * @param position the file, {@code push}, or the feed's topic, partition and offset
 * @param row the row number in the file (from 1), the index in a push (from 0), the offset past a
 *     tailed line, or the offset in a feed
 * @param header a CSV file's header line, which makes {@code raw} readable again
 * @param replayed when it was replayed and what came of it; empty while it is pending
 */
public record QuarantinedRow(long id, Instant quarantinedAt, Quarantine.Origin origin, String position, long row,
    String rule, String reason, String raw, Optional<String> header, Optional<Replayed> replayed) {
  public QuarantinedRow {
    Objects.requireNonNull(quarantinedAt, "quarantinedAt");
    Objects.requireNonNull(origin, "origin");
    header = header == null ? Optional.empty() : header;
    replayed = replayed == null ? Optional.empty() : replayed;
  }

  /**
   * A replay of a row.
   *
   * @param outcome {@link QuarantineReplay#ACCEPTED} or {@link QuarantineReplay#QUARANTINED_AGAIN}
   */
  public record Replayed(Instant at, String outcome) {}

  /** Whether the row waits for a replay. */
  public boolean pending() {
    return replayed.isEmpty();
  }

  /** {@code pending}, or the replay's outcome ({@code accepted}, {@code quarantined again}). */
  public String status() {
    return replayed.map(Replayed::outcome).orElse("pending");
  }

  /** The row as JSON-ready values: times as ISO-8601 text, absent values as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", id);
    map.put("quarantined_at", quarantinedAt.toString());
    map.put("origin", origin.label());
    map.put("position", position);
    map.put("row", row);
    map.put("rule", rule);
    map.put("reason", reason);
    map.put("raw", raw);
    map.put("header", header.orElse(null));
    map.put("status", status());
    map.put("replayed_at", replayed.map(r -> r.at().toString()).orElse(null));
    return map;
  }
}
