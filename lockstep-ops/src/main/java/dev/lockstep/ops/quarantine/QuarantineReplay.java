package dev.lockstep.ops.quarantine;

import dev.lockstep.core.internal.SystemTables;
import dev.lockstep.core.quality.BreakerOpenException;
import dev.lockstep.core.quality.Quarantine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.core.internal.OfflineTables;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Re-ingests quarantined rows through the gates as they are now, after an operator fixed the
 * contract ({@code lockstep apply}) or the data upstream ({@code lockstep quarantine replay}).
 *
 * <p>Rows go back the way they came. Rows of a batch ingest are written to a replay file under
 * {@code <dataDir>/}{@value #DIRECTORY} (a CSV file with the row's header line, otherwise JSON
 * lines, which also reads back the JSON objects a Parquet row was quarantined as) and ingested like
 * any file, one file per header: idempotent by a commit key derived from the quarantine ids, so a
 * replay re-run after a crash does not append twice. Rows that were pushed, tailed or followed from
 * a feed are pushed into the source's stream, which needs streaming in this process. Either way a
 * row that still fails is quarantined again by that path, as a new row with a new id.
 *
 * <p>Every replayed id is then recorded in {@value #TABLE} with its outcome, which hides it from
 * {@link QuarantineRows#list} and keeps a second replay from taking it again. Streamed rows are
 * replayed at least once: a crash between their push and that record replays them twice.
 *
 * <p>The gates are those of now, with two differences from the original write: the contract's
 * volume rule is not applied (a replay is a handful of rows, not a delivery), and uniqueness and
 * freshness are judged among the replayed rows and at the time of the replay.
 */
public final class QuarantineReplay {
  /** The offline table of replays: which quarantine ids were replayed, when, and what came of it. */
  public static final String TABLE = SystemTables.QUARANTINE_REPLAYS.name();
  /** The outcome of a replayed row that reached the source's table or stream. */
  public static final String ACCEPTED = "accepted";
  /** The outcome of a replayed row that failed again, and so has a new row in the quarantine. */
  public static final String QUARANTINED_AGAIN = "quarantined again";
  /** The payload columns; {@code replayed_at} in epoch milliseconds, as the rows' event time. */
  public static final Schema SCHEMA = SystemTables.QUARANTINE_REPLAYS.schema();
  /** The directory of the data directory that holds the replay files. */
  public static final String DIRECTORY = "quarantine-replays";

  private static final int PUSH_BATCH = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Replays of one process run one at a time: each continues the sequences of the replays table. */
  private static final Object LOCK = new Object();

  private QuarantineReplay() {}

  /**
   * What a replay did.
   *
   * @param replayed how many rows were replayed: {@code accepted + quarantinedAgain}
   * @param unreplayable streamed rows whose raw payload is not a JSON object, so cannot be pushed
   *     again; they stay pending
   * @param replayedByRule how many replayed rows had failed each rule, by rule id
   * @param quarantinedAgainByRule how many rows failed each rule on replay, by rule id
   * @param files the replay files ingested
   */
  public record Result(String source, long replayed, long accepted, long quarantinedAgain, long unreplayable,
      Map<String, Long> replayedByRule, Map<String, Long> quarantinedAgainByRule, List<Path> files) {
    public Result {
      replayedByRule = Map.copyOf(replayedByRule);
      quarantinedAgainByRule = Map.copyOf(quarantinedAgainByRule);
      files = List.copyOf(files);
    }

    /** The result as JSON-ready values ({@code POST /v1/quarantine/{source}/replay}). */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("source", source);
      map.put("replayed", replayed);
      map.put("accepted", accepted);
      map.put("quarantined_again", quarantinedAgain);
      map.put("unreplayable", unreplayable);
      map.put("replayed_by_rule", new TreeMap<>(replayedByRule));
      map.put("quarantined_again_by_rule", new TreeMap<>(quarantinedAgainByRule));
      map.put("files", files.stream().map(Path::toString).toList());
      return map;
    }
  }

  /**
   * Replays the pending rows of {@code source} that {@code filter} selects (its limit and
   * {@code includeReplayed} do not apply). Streamed rows use this process's online runtime, started
   * if it is not streaming yet, so a server can call this as it runs.
   *
   * @throws LockstepException if the source is not applied, an id of the filter is not in its
   *     quarantine, streamed rows are to be replayed while another process serves the project, or
   *     a replay file cannot be ingested
   * @throws BreakerOpenException if the source's circuit breaker is open or the replay opens it;
   *     the rows replayed before stay recorded, the others stay pending
   */
  public static Result replay(Lockstep lockstep, String source, QuarantineFilter filter) {
    Source definition = lockstep.appliedSource(source);
    Optional<DataContract> contract = lockstep.applied().repository().contract(source).map(QuarantineReplay::replayable);
    SupportsIdempotentAppends store = Capabilities.require(lockstep.offlineStore(), SupportsIdempotentAppends.class,
        "idempotent appends");
    synchronized (LOCK) {
      List<QuarantinedRow> all = QuarantineRows.read(store, source);
      for (long id : filter.ids()) {
        if (all.stream().noneMatch(row -> row.id() == id)) {
          throw QuarantineRows.noSuchRow("replay", source, id, all);
        }
      }
      List<QuarantinedRow> chosen = all.stream().filter(QuarantinedRow::pending).filter(filter::selects).toList();
      Tally tally = new Tally(source);
      List<QuarantinedRow> streamed = chosen.stream().filter(row -> row.origin().streamed()).toList();
      // start streaming before anything is replayed, so a project served elsewhere fails with nothing done
      OnlineRuntime online = streamed.isEmpty() ? null : streaming(lockstep, source);
      Map<Optional<String>, List<QuarantinedRow>> byHeader = chosen.stream().filter(row -> !row.origin().streamed())
          .collect(Collectors.groupingBy(QuarantinedRow::header, LinkedHashMap::new, Collectors.toList()));
      Ingester ingester = new Ingester(store, Clock.systemUTC(), lockstep.breakers());
      for (List<QuarantinedRow> rows : byHeader.values()) {
        Path file = writeFile(lockstep.dataDirectory().resolve(DIRECTORY), source, rows);
        tally.files.add(file);
        ingester.ingest(readAs(definition, rows.get(0).header().isPresent()), contract, file, commitKey(source, rows));
        record(store, source, rows, requarantined(store, source, file), tally);
      }
      for (int from = 0; from < streamed.size(); from += PUSH_BATCH) {
        push(online, store, source, streamed.subList(from, Math.min(streamed.size(), from + PUSH_BATCH)), tally);
      }
      return tally.result();
    }
  }

  /** Which quarantine ids of {@code source} were replayed, with when and what came of it. */
  static Map<Long, QuarantinedRow.Replayed> replays(OfflineStore store, String source) {
    Map<Long, QuarantinedRow.Replayed> replays = new HashMap<>();
    if (!store.tables().contains(TABLE)) {
      return replays;
    }
    try (CloseableIterator<Row> scan = store.scan(TABLE, ScanRequest.latest())) {
      while (scan.hasNext()) {
        Row row = scan.next();
        if (source.equals(row.value(0))) {
          replays.putIfAbsent((Long) row.value(1),
              new QuarantinedRow.Replayed(Instant.ofEpochMilli((Long) row.value(3)), (String) row.value(2)));
        }
      }
    }
    return replays;
  }

  /** The contract without its volume rule, which judges deliveries, not a replay of a few rows. */
  private static DataContract replayable(DataContract contract) {
    List<QualityRule> rules = contract.rules().stream().filter(rule -> !(rule instanceof QualityRule.Volume)).toList();
    return new DataContract(contract.source(), rules, contract.breaker(), contract.description());
  }

  private static OnlineRuntime streaming(Lockstep lockstep, String source) {
    try {
      OnlineRuntime online = lockstep.online();
      online.startStreaming();
      return online;
    } catch (LockstepException e) {
      throw new LockstepException("Cannot replay the streamed rows of source '" + source + "': this process cannot"
          + " stream, another one probably serves the project (" + e.getMessage() + "); run the replay on the server"
          + " instead: curl -X POST http://HOST:PORT/v1/quarantine/" + source + "/replay", e);
    }
  }

  /**
   * Writes {@code rows}, which share a header, as a file of the source's events: the header line and
   * the raw lines for CSV, the raw lines (JSON objects) otherwise.
   */
  private static Path writeFile(Path directory, String source, List<QuarantinedRow> rows) {
    boolean csv = rows.get(0).header().isPresent();
    StringBuilder text = new StringBuilder();
    rows.get(0).header().ifPresent(header -> text.append(header).append('\n'));
    for (QuarantinedRow row : rows) {
      text.append(row.raw().stripTrailing()).append('\n');
    }
    // the ids' digest tells apart two replays of different rows with the same first and last id
    Path file = directory.resolve(source + "-" + rows.get(0).id() + "-" + rows.get(rows.size() - 1).id() + "-"
        + digest(ids(rows)).substring(0, 8) + (csv ? ".csv" : ".jsonl"));
    try {
      Files.createDirectories(directory);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the replay file " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** The source as a replay file is read: CSV with a header, JSON lines without. */
  private static Source readAs(Source source, boolean csv) {
    SourceFormat format = csv ? SourceFormat.CSV : SourceFormat.JSONL;
    return new Source(source.name(), format, source.path(), source.entity(), source.keyColumns(),
        source.eventTimeColumn(), source.zone(), source.ingestTimeColumn(), source.columns(), source.maxFuture());
  }

  /** The rules failed by the rows of {@code file} that its ingest quarantined again, by row number. */
  private static Map<Long, String> requarantined(OfflineStore store, String source, Path file) {
    Map<Long, String> rules = new HashMap<>();
    try (CloseableIterator<Row> scan = store.scan(Quarantine.table(source), ScanRequest.latest())) {
      while (scan.hasNext()) {
        Row row = scan.next();
        if (file.toString().equals(row.value(Quarantine.POSITION))) {
          rules.put((Long) row.value(Quarantine.ROW), (String) row.value(Quarantine.RULE));
        }
      }
    }
    Map<Long, String> byIndex = new HashMap<>();
    rules.forEach((rowNumber, rule) -> byIndex.put(rowNumber - 1, rule));
    return byIndex;
  }

  /** Pushes {@code rows} into the stream and records them; rows that are not JSON objects are left pending. */
  private static void push(OnlineRuntime online, SupportsIdempotentAppends store, String source,
      List<QuarantinedRow> rows, Tally tally) {
    List<QuarantinedRow> pushed = new ArrayList<>();
    List<Map<String, Object>> events = new ArrayList<>();
    for (QuarantinedRow row : rows) {
      Optional<Map<String, Object>> event = event(row.raw());
      if (event.isEmpty()) {
        tally.unreplayable++;
        continue;
      }
      pushed.add(row);
      events.add(event.get());
    }
    if (pushed.isEmpty()) {
      return;
    }
    PushResult result = online.client().push(source, events);
    Map<Long, String> failed = new HashMap<>();
    for (PushResult.Rejection rejection : result.rejected()) {
      String reason = rejection.reason();
      failed.put((long) rejection.index(), reason.substring(0, Math.max(0, reason.indexOf(": "))));
    }
    record(store, source, pushed, failed, tally);
  }

  private static Optional<Map<String, Object>> event(String raw) {
    try {
      Object parsed = JSON.readValue(raw, Object.class);
      if (parsed instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = (Map<String, Object>) map;
        return Optional.of(event);
      }
    } catch (JsonProcessingException e) {
      // not JSON: cannot be pushed
    }
    return Optional.empty();
  }

  /**
   * Records the replay of {@code rows} in one commit keyed by their ids, so recording again after an
   * unknown outcome appends once.
   *
   * @param failed the rule each row that was quarantined again failed, by its index in {@code rows}
   */
  private static void record(SupportsIdempotentAppends store, String source, List<QuarantinedRow> rows,
      Map<Long, String> failed, Tally tally) {
    long now = System.currentTimeMillis();
    List<Row> records = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      QuarantinedRow row = rows.get(i);
      String rule = failed.get((long) i);
      records.add(Row.of(now, now, 0, source, row.id(), rule == null ? ACCEPTED : QUARANTINED_AGAIN, now));
      tally.add(row, rule);
    }
    try {
      OfflineTables.appendNumbered(store, TABLE, SCHEMA, "record quarantine replays in", records,
          commitKey(source, rows));
    } catch (RuntimeException e) {
      throw new LockstepException("Cannot record the replay of " + rows.size() + " quarantined rows of source '"
          + source + "' in " + TABLE + ": " + e.getMessage() + " (they were re-ingested; replaying them again is safe"
          + " for ingested rows, streamed ones would be pushed twice)", e);
    }
  }

  private static String commitKey(String source, List<QuarantinedRow> rows) {
    return "quarantine-replay:" + source + ":" + digest(ids(rows));
  }

  private static String ids(List<QuarantinedRow> rows) {
    return rows.stream().map(row -> Long.toString(row.id())).collect(Collectors.joining(","));
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The counts of one replay as it goes. */
  private static final class Tally {
    private final String source;
    private final List<Path> files = new ArrayList<>();
    private final Map<String, Long> replayedByRule = new TreeMap<>();
    private final Map<String, Long> againByRule = new TreeMap<>();
    private long accepted;
    private long again;
    private long unreplayable;

    Tally(String source) {
      this.source = source;
    }

    void add(QuarantinedRow row, String failedRule) {
      replayedByRule.merge(row.rule(), 1L, Long::sum);
      if (failedRule == null) {
        accepted++;
      } else {
        again++;
        againByRule.merge(failedRule, 1L, Long::sum);
      }
    }

    Result result() {
      return new Result(source, accepted + again, accepted, again, unreplayable, replayedByRule, againByRule, files);
    }
  }
}
