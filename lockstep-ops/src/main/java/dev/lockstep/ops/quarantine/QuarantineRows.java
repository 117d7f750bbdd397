package dev.lockstep.ops.quarantine;

import dev.lockstep.core.quality.Quarantine;

import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reading a source's quarantine for an operator ({@code lockstep quarantine list|show}): its rows
 * joined with their replays, oldest first. Reads the whole quarantine table; quarantines are meant
 * to be small, and a growing one is a contract or a producer to fix.
 */
public final class QuarantineRows {
  private QuarantineRows() {}

  /**
   * The rows of one listing, oldest first, so the newest end up next to the prompt.
   *
   * @param rows the newest {@link QuarantineFilter#limit()} rows that match
   * @param matched how many rows match, listed or not
   * @param byRule how many of the matched rows failed each rule, by rule id
   * @param replayedHidden how many rows match but are hidden because they were replayed (0 with
   *     {@link QuarantineFilter#includeReplayed()})
   */
  public record Listing(String source, List<QuarantinedRow> rows, long matched, Map<String, Long> byRule,
      long replayedHidden) {
    public Listing {
      rows = List.copyOf(rows);
      byRule = Map.copyOf(byRule);
    }

    /** How many matched rows are not listed because of the limit: the oldest ones. */
    public long omitted() {
      return matched - rows.size();
    }

    /** The listing as JSON-ready values ({@code GET /v1/quarantine/{source}}). */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("source", source);
      map.put("matched", matched);
      map.put("omitted", omitted());
      map.put("replayed_hidden", replayedHidden);
      map.put("by_rule", new TreeMap<>(byRule));
      map.put("rows", rows.stream().map(QuarantinedRow::toMap).toList());
      return map;
    }
  }

  /**
   * Lists the quarantine of {@code source}, an applied source.
   *
   * @throws LockstepException if the source is not applied
   */
  public static Listing list(Lockstep lockstep, String source, QuarantineFilter filter) {
    lockstep.appliedSource(source);
    return list(lockstep.offlineStore(), source, filter);
  }

  /** Lists the quarantine of {@code source}; empty if nothing was ever quarantined there. */
  public static Listing list(OfflineStore store, String source, QuarantineFilter filter) {
    List<QuarantinedRow> matched = new ArrayList<>();
    long replayedHidden = 0;
    for (QuarantinedRow row : read(store, source)) {
      if (!filter.selects(row)) {
        continue;
      }
      if (!row.pending() && !filter.includeReplayed()) {
        replayedHidden++;
        continue;
      }
      matched.add(row);
    }
    Map<String, Long> byRule = new TreeMap<>();
    matched.forEach(row -> byRule.merge(row.rule(), 1L, Long::sum));
    List<QuarantinedRow> newest = matched.subList(Math.max(0, matched.size() - filter.limit()), matched.size());
    return new Listing(source, newest, matched.size(), byRule, replayedHidden);
  }

  /**
   * The quarantined row {@code id} of {@code source}, replayed or not.
   *
   * @throws LockstepException if there is no such row
   */
  public static QuarantinedRow show(OfflineStore store, String source, long id) {
    List<QuarantinedRow> rows = read(store, source);
    return rows.stream().filter(row -> row.id() == id).findFirst()
        .orElseThrow(() -> noSuchRow("show", source, id, rows));
  }

  /** The error for an id that {@code rows}, the whole quarantine of {@code source}, lacks. */
  static LockstepException noSuchRow(String action, String source, long id, List<QuarantinedRow> rows) {
    String holds = rows.isEmpty() ? "its quarantine is empty"
        : "its quarantine holds ids " + rows.get(0).id() + " to " + rows.get(rows.size() - 1).id();
    return new UnknownNameException("Cannot " + action + " quarantined row " + id + " of source '" + source
        + "': there is no such row, " + holds + " (list them with lockstep quarantine list " + source + " --all)");
  }

  /** Every row of the quarantine of {@code source} with its replay, by id. */
  static List<QuarantinedRow> read(OfflineStore store, String source) {
    String table = Quarantine.table(source);
    if (!store.tables().contains(table)) {
      return List.of();
    }
    Map<Long, QuarantinedRow.Replayed> replays = QuarantineReplay.replays(store, source);
    List<QuarantinedRow> rows = new ArrayList<>();
    try (CloseableIterator<Row> scan = store.scan(table, ScanRequest.latest())) {
      while (scan.hasNext()) {
        Row row = scan.next();
        rows.add(new QuarantinedRow(row.sequence(), Instant.ofEpochMilli(row.eventTimeMillis()),
            Quarantine.Origin.of((String) row.value(Quarantine.ORIGIN)), (String) row.value(Quarantine.POSITION),
            (Long) row.value(Quarantine.ROW), (String) row.value(Quarantine.RULE),
            (String) row.value(Quarantine.REASON), (String) row.value(Quarantine.RAW),
            Optional.ofNullable((String) row.value(Quarantine.HEADER)), Optional.ofNullable(replays.get(row.sequence()))));
      }
    }
    rows.sort(Comparator.comparingLong(QuarantinedRow::id));
    return rows;
  }
}
