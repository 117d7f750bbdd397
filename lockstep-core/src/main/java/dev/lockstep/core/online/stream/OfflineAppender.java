package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.Checkpoints;
import dev.lockstep.core.online.state.EventRecords;
import dev.lockstep.core.online.state.OnlineMetrics;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.definition.Source;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.core.internal.OfflineTables;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.core.quality.Violation;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.eventlog.SupportsTruncation;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The third stage of a {@link SourceStream}: appends what the event log holds beyond the offline
 * table, in batches, and truncates the log behind every reader.
 *
 * <p><b>Crash safety.</b> Each batch is recorded (its start and end offsets) in the online store's
 * checkpoint before it is committed with a key derived from its start, so after a crash the batch is
 * finished or found committed, never appended twice. A row the table cannot hold goes to the
 * quarantine table (rule {@value #OFFLINE_RULE}, with the store's reason) and the batch goes on.
 *
 * <p>Thread-safe: {@link #appendOffline} is synchronized (the offline thread, flushes and close
 * call it).
 */
public final class OfflineAppender {
  public static final long INTERVAL_MILLIS = 1_000;
  public static final int BATCH = 500_000;
  /** The quarantine rule of a logged event the offline table refused. */
  public static final String OFFLINE_RULE = "offline_store";

  private final SourceStream owner;
  private final Source source;
  private final String stream;
  private final EventLog log;
  private final SupportsAtomicCheckpoint store;
  private final SupportsIdempotentAppends offline;
  private final OnlineMetrics metrics;
  private final StageHealth health;
  private final Object wakeUp = new Object();
  private final Map<String, Long> truncationFloors = new ConcurrentHashMap<>();
  /** Whether the source's offline table is known to exist with the source's columns. */
  private boolean tableReady;

  public OfflineAppender(SourceStream owner, EventLog log, SupportsAtomicCheckpoint store, SupportsIdempotentAppends offline,
      OnlineMetrics metrics, StageHealth health) {
    this.owner = owner;
    this.source = owner.source();
    this.stream = source.name();
    this.log = log;
    this.store = store;
    this.offline = offline;
    this.metrics = metrics;
    this.health = health;
  }

  /** Keeps the log from being truncated at or past {@code offset} on behalf of {@code owner}. */
  public void truncationFloor(String reader, long offset) {
    truncationFloors.put(reader, offset);
  }

  /** Wakes the offline thread: the stream is stopping. */
  public void wake() {
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  /** The offline thread's body: appends every {@link #INTERVAL_MILLIS} until the stream stops. */
  public void run() {
    while (owner.isRunning()) {
      synchronized (wakeUp) {
        try {
          wakeUp.wait(INTERVAL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (owner.isRunning()) {
        try {
          appendOffline();
          health.recovered("offline");
        } catch (RuntimeException e) {
          health.failed("offline", e);
          health.backOff("offline");
        }
      }
    }
  }

  /** Appends what the log holds beyond the offline table, in batches; returns the rows appended. */
  synchronized long appendOffline() {
    String table = source.name();
    if (!tableReady) {
      OfflineTables.ensure(offline, table, Ingester.tableSchema(source), "append to");
      tableReady = true;
    }
    long[] checkpoint = Checkpoints.decode(store.checkpoint(Checkpoints.offline(stream)).orElse(null));
    long start = checkpoint == null ? log.startPositions(stream).get(0).offset() : checkpoint[0];
    long end = checkpoint == null ? start : checkpoint[1];
    long appended = 0;
    if (end > start) {
      // a batch was being committed when the process stopped: finish it or skip it
      if (offline.findCommit(table, commitKey(stream, start)).isEmpty()) {
        appended += appendRange(table, start, end);
      }
      start = end;
      store.writeWithCheckpoint(Map.of(), Checkpoints.offline(stream), Checkpoints.encode(start, start));
    }
    while (true) {
      long logEnd = log.endPositions(stream).get(0).offset();
      if (logEnd <= start) {
        break;
      }
      long batchEnd = Math.min(logEnd, start + BATCH);
      store.writeWithCheckpoint(Map.of(), Checkpoints.offline(stream), Checkpoints.encode(start, batchEnd));
      appended += appendRange(table, start, batchEnd);
      start = batchEnd;
      store.writeWithCheckpoint(Map.of(), Checkpoints.offline(stream), Checkpoints.encode(start, start));
    }
    if (log instanceof SupportsTruncation truncation) {
      long truncateBefore = Math.min(start, owner.appliedOffset());
      for (long floor : truncationFloors.values()) {
        truncateBefore = Math.min(truncateBefore, floor);
      }
      if (truncateBefore > log.startPositions(stream).get(0).offset()) {
        truncation.truncate(stream, new Position(0, truncateBefore));
      }
    }
    return appended;
  }

  private long appendRange(String table, long start, long end) {
    EventRecords.Reader events = owner.events();
    List<Row> rows = new ArrayList<>((int) Math.min(end - start, BATCH));
    List<Row> refused = new ArrayList<>();
    Schema schema = Ingester.tableSchema(source);
    long offset = start;
    while (offset < end) {
      List<LogEntry> entries = log.read(stream, new Position(0, offset), (int) Math.min(end - offset, Applier.READ_BATCH));
      for (LogEntry entry : entries) {
        if (entry.position().offset() >= end) {
          break;
        }
        try {
          EventRecords.Event event = events.decode(entry.record().value());
          Row row = new Row(event.eventTime(), entry.record().timestampMillis(), event.sequence(),
              Arrays.asList(event.values()));
          try {
            schema.validate(row); // what the table would refuse mid-batch goes to quarantine alone
            rows.add(row);
          } catch (IllegalArgumentException unstorable) {
            refused.add(Quarantine.row(entry.record().timestampMillis(), Quarantine.Origin.PUSH, "log:" + stream,
                entry.position().offset(), new Violation(OFFLINE_RULE, unstorable.getMessage()),
                SourceStream.rawJson(event, source), null));
          }
        } catch (CorruptDataException e) {
          metrics.applied(stream, 0, 0, 1, 0);
        }
        offset = entry.position().offset() + 1;
      }
    }
    if (!refused.isEmpty()) {
      // before the batch, under a key of its own: a crash between the two appends repeats neither
      OfflineTables.appendNumbered(offline, Ingester.quarantineTable(stream), Ingester.QUARANTINE_SCHEMA, "append to",
          refused, "refused:" + commitKey(stream, start));
      metrics.judged(stream, 0, refused.size());
    }
    offline.append(table, rows, commitKey(stream, start));
    metrics.offline(stream, rows.size());
    return rows.size();
  }

  /** The commit key the appender gives the batch of {@code source}'s log events from {@code start}. */
  public static String commitKey(String source, long start) {
    return "log:" + source + ":0:" + start;
  }
}
