package dev.lockstep.ops.parity;

import dev.lockstep.core.internal.SystemTables;
import dev.lockstep.api.LockstepException;
import dev.lockstep.core.internal.OfflineTables;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The offline table {@value #TABLE} of parity checks, one row per {@link ParityCheck}: what the
 * {@link ParityMonitor} of {@code lockstep serve} and {@code lockstep replay} found. Event time and
 * ingest time of a row are when the check finished; payload {@link #SCHEMA}, times in epoch
 * milliseconds, {@code from_t} inclusive and {@code to_t} exclusive.
 */
public final class ParityChecks {
  /** The table's name. */
  public static final String TABLE = SystemTables.PARITY_CHECKS.name();
  /** {@code checked_by} of the checks of the {@link ParityMonitor} in {@code lockstep serve}. */
  public static final String BY_SERVE = "serve";
  /** {@code checked_by} of the checks of {@code lockstep replay}. */
  public static final String BY_REPLAY = "replay";
  /** The payload columns. */
  public static final Schema SCHEMA = SystemTables.PARITY_CHECKS.schema();

  private ParityChecks() {}

  /**
   * Appends {@code check} in one commit tagged {@code commitKey}: calling again with the same key
   * after an unknown outcome appends it once.
   *
   * @throws LockstepException if the table exists with other columns, or the append failed
   */
  static void record(OfflineStore store, ParityCheck check, String commitKey) {
    SupportsIdempotentAppends appends = Capabilities.require(store, SupportsIdempotentAppends.class,
        "idempotent appends");
    OfflineTables.ensure(store, TABLE, SCHEMA, "record a parity check in");
    long at = check.checkedAt().toEpochMilli();
    Optional<ReplayReport.Extent> extent = check.extent();
    Row row = Row.of(at, at, 0, check.service(), check.checkedBy(), at,
        extent.map(e -> e.firstT().toEpochMilli()).orElse(null),
        extent.map(e -> e.lastT().toEpochMilli() + 1).orElse(null),
        extent.map(ReplayReport.Extent::firstSequence).orElse(null),
        extent.map(ReplayReport.Extent::lastSequence).orElse(null),
        check.vectors(), check.values(), check.mismatchedVectors(), check.mismatchedValues(),
        check.firstMismatch().orElse(null),
        check.registryVersions().stream().map(String::valueOf).collect(Collectors.joining(",")));
    try {
      OfflineTables.appendNumbered(appends, TABLE, SCHEMA, "record a parity check in", List.of(row), commitKey);
    } catch (RuntimeException e) {
      throw new LockstepException("Cannot record the parity check of service '" + check.service() + "' in " + TABLE
          + ": " + e.getMessage() + " (recording it again is safe)", e);
    }
  }

  /**
   * The checks recorded with {@code from <= checked_at < to}, oldest first (ties in the order they
   * were recorded); empty if none was ever recorded.
   *
   * @throws LockstepException if the table exists with other columns
   */
  public static List<ParityCheck> read(OfflineStore store, Optional<Instant> from, Optional<Instant> to) {
    if (!store.tables().contains(TABLE)) {
      return List.of();
    }
    if (!store.schema(TABLE).equals(SCHEMA)) {
      throw new LockstepException("Cannot read the parity checks: table '" + TABLE + "' holds "
          + store.schema(TABLE) + ", not " + SCHEMA + " (was it created by something else?)");
    }
    List<Row> rows = new ArrayList<>();
    ScanRequest request = ScanRequest.latest().withEventTimeRange(from.orElse(null), to.orElse(null));
    try (CloseableIterator<Row> scanned = store.scan(TABLE, request)) {
      scanned.forEachRemaining(rows::add);
    }
    rows.sort(Comparator.comparingLong(Row::eventTimeMillis).thenComparingLong(Row::sequence));
    return rows.stream().map(ParityChecks::check).toList();
  }

  /**
   * Per feature service with a recorded check, a summary of the monitor's checks over the {@code
   * window} before {@code now} and of all time ({@code lockstep status}). Reads the whole table; a
   * running {@link ParityMonitor} keeps the same summaries in memory.
   *
   * @throws LockstepException if the table exists with other columns
   */
  public static Map<String, ParitySummary> summarize(OfflineStore store, Instant now, Duration window) {
    Map<String, ParityTally> tallies = new TreeMap<>();
    for (ParityCheck check : read(store, Optional.empty(), Optional.empty())) {
      tallies.computeIfAbsent(check.service(), service -> new ParityTally(service, window)).add(check);
    }
    Map<String, ParitySummary> summaries = new TreeMap<>();
    tallies.forEach((service, tally) -> summaries.put(service, tally.summary(now)));
    return summaries;
  }

  private static ParityCheck check(Row row) {
    Long fromT = (Long) row.value(3);
    Long toT = (Long) row.value(4);
    Long firstSequence = (Long) row.value(5);
    Long lastSequence = (Long) row.value(6);
    Optional<ReplayReport.Extent> extent = fromT == null || toT == null || firstSequence == null || lastSequence == null
        ? Optional.empty()
        : Optional.of(new ReplayReport.Extent(firstSequence, lastSequence, Instant.ofEpochMilli(fromT),
            Instant.ofEpochMilli(toT - 1)));
    String versions = (String) row.value(12);
    return new ParityCheck((String) row.value(0), (String) row.value(1), Instant.ofEpochMilli((Long) row.value(2)),
        extent, (Long) row.value(7), (Long) row.value(8), (Long) row.value(9), (Long) row.value(10),
        Optional.ofNullable((String) row.value(11)),
        versions.isEmpty() ? List.of() : Arrays.stream(versions.split(",")).map(Long::valueOf).toList());
  }
}
