package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.EventRecords;
import dev.lockstep.core.online.state.MonotonicClock;
import dev.lockstep.core.online.state.OnlineMetrics;
import dev.lockstep.core.online.state.StateCache;
import dev.lockstep.core.online.state.ViewLayout;

import dev.lockstep.core.internal.OfflineTables;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.ServiceUnavailableException;
import dev.lockstep.core.config.LimitsConfig;
import dev.lockstep.api.definition.Source;
import dev.lockstep.core.ingest.Ingester;
import dev.lockstep.io.PushedEvents;
import dev.lockstep.core.quality.BreakerOpenException;
import dev.lockstep.core.quality.Breakers;
import dev.lockstep.core.quality.ContractGate;
import dev.lockstep.core.quality.QualityMetrics;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.core.quality.Violation;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The streaming path of one source: accepted events are made durable in the event log by the
 * {@link GroupCommitter}, applied to the online state by the {@link Applier}, and appended to the
 * offline table by the {@link OfflineAppender}, each on its own thread; this class is the door
 * (validation, quarantine, shedding) and owns their lifecycle.
 *
 * <p><b>Ingest times and the watermark.</b> The committer stamps each group with one ingest time
 * from a monotonic clock, so the log is ordered by ingest time. Its watermark is an instant no
 * future group will be stamped below. The applier applies, in log order, exactly the events
 * stamped below the watermark it read before reading the log, then publishes that watermark as
 * {@code W}: the online state holds every event ingested before {@code W} and none after. Serving
 * evaluates at {@code t = min(now, W)}, so a served vector is exactly what an {@code AS_OF_INGEST}
 * rebuild at {@code t} computes.
 *
 * <p><b>Crash safety.</b> An event is acknowledged once the log has fsynced it. The applier writes
 * state together with its log position in one atomic store write; the offline appender commits
 * with a key derived from its start position after recording the batch's end, so after a crash
 * both resume without losing or repeating an event.
 *
 * <p><b>Nothing a record holds stops a stream.</b> Events are validated at the door ({@link
 * #judge}: columns, types, storable times, the source's future bound, the contract). A row the
 * offline table still cannot hold is moved to the quarantine table by the appender (rule {@value
 * OfflineAppender#OFFLINE_RULE}, with the store's reason) and the batch goes on without it. A stage that fails
 * (a backend down, a bug) is marked degraded and retried with backoff — the applier from its last
 * durable state — while pushes keep being acknowledged until the unapplied backlog reaches its
 * limit; beyond it pushes are refused with {@link ServiceUnavailableException} (HTTP 503) and
 * tailed files and feeds wait.
 */
public final class SourceStream implements AutoCloseable {
  private final Source source;
  private final String stream;
  /** Decodes logged events, of the current columns and of earlier declarations; replaced before start. */
  private volatile EventRecords.Reader events;
  private final SupportsIdempotentAppends offline;
  private final MonotonicClock clock;
  private final OnlineMetrics metrics;
  private final ContractGate gate;
  private final QualityMetrics quality;
  private final Breakers breakers;
  /** Acknowledged events not applied yet beyond which pushes are refused (HTTP 503). */
  private final long maxUnapplied;
  /** How far, in milliseconds, the applier may trail the clock before pushes are refused. */
  private final long maxApplyLag;
  private final StageHealth health;
  private final Applier applier;
  private final GroupCommitter committer;
  private final OfflineAppender appender;
  private volatile boolean running;
  private volatile Throwable failure;
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param gate the source's data contract, judging every event before it is accepted
   * @param breakers the project's circuit breakers, or null for none
   * @param limits acknowledged events waiting to be applied, and how far the applier may trail,
   *     beyond which pushes are refused
   */
  public SourceStream(Source source, List<ViewLayout> views, EventLog log, SupportsAtomicCheckpoint store,
      SupportsIdempotentAppends offline, StateCache cache, MonotonicClock clock, OnlineMetrics metrics,
      ContractGate gate, Breakers breakers, LimitsConfig limits) {
    this.maxUnapplied = limits.maxUnappliedEvents();
    this.maxApplyLag = limits.maxApplyLag().toMillis();
    this.source = source;
    this.gate = gate;
    this.quality = gate.metrics();
    this.breakers = breakers;
    this.stream = source.name();
    this.events = new EventRecords.Reader(source, List.of());
    this.offline = offline;
    this.clock = clock;
    this.metrics = metrics;
    this.health = new StageHealth(stream, clock);
    log.createStream(stream, 1);
    this.applier = new Applier(this, views, log, store, cache, clock, metrics, health);
    this.appender = new OfflineAppender(this, log, store, offline, metrics, health);
    long sequence = Math.max(highestOfflineSequence(), highestLogSequence(log));
    this.committer = new GroupCommitter(this, log, clock, sequence, applier::wake);
    this.views = views;
  }

  private final List<ViewLayout> views;

  public Source source() {
    return source;
  }

  public List<ViewLayout> views() {
    return views;
  }

  /** Every event ingested before this instant is in the online state; none after. */
  public long watermark() {
    return applier.watermark();
  }

  /** The log offset the applier resumes at: every event before it is applied. */
  public long appliedOffset() {
    return applier.nextOffset();
  }

  /** Whether the applier and appender threads run in this process. */
  public boolean live() {
    return running;
  }

  /** Whether the stream's threads should go on. */
  public boolean isRunning() {
    return running;
  }

  public void start() {
    running = true;
    threads.add(daemon("lockstep-commit-" + stream, committer::run));
    threads.add(daemon("lockstep-apply-" + stream, applier::run));
    threads.add(daemon("lockstep-offline-" + stream, appender::run));
  }

  /**
   * Reads logged events written under {@code earlier} declarations of the source too (a column
   * added since they were logged): call before {@link #start}.
   */
  public void readEventsOf(java.util.Collection<Source> earlier) {
    events = new EventRecords.Reader(source, earlier);
  }

  /** The decoder of this stream's logged events. */
  public EventRecords.Reader events() {
    return events;
  }

  /** Acknowledged events not applied to the online state yet. */
  public long unapplied() {
    return Math.max(0, committer.committedEnd() - applier.nextOffset());
  }

  /**
   * How far the applier trails the clock while acknowledged events wait: now minus the watermark
   * it published last (an upper bound of the oldest waiting event's age); 0 when none waits.
   */
  public long applyLag() {
    long published = applier.watermark();
    return unapplied() == 0 || published == Long.MIN_VALUE ? 0 : Math.max(0, clock.millis() - published);
  }

  /**
   * Why pushes are refused now — too many acknowledged events wait to be applied, or the applier
   * trails too far — or null when they are taken.
   */
  public String shedReason() {
    long backlog = unapplied();
    if (backlog >= maxUnapplied) {
      return backlog + " acknowledged events wait to be applied, the limit is " + maxUnapplied;
    }
    long lag = applyLag();
    if (lag > maxApplyLag) {
      return "the applier trails by " + lag + " ms, the limit is " + maxApplyLag + " ms (max_apply_lag)";
    }
    return null;
  }

  /** Whether pushes are refused now (see {@link #shedReason}). */
  public boolean shedding() {
    return shedReason() != null;
  }

  /** The stages failing now, by stage; empty when the stream is healthy. */
  public Map<String, StageHealth.Degradation> degradations() {
    return health.degradations();
  }

  private Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure = e;
        System.err.println("lockstep: " + name + " stopped: " + e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  // ---------------------------------------------------------------- the door

  /**
   * Converts, quarantines the rejects of, and durably accepts {@code events}; returns once every
   * accepted event is fsynced in the log.
   */
  public PushResult push(List<Map<String, Object>> events) {
    requireOpen("accept pushed events");
    requireRunning();
    String shed = shedReason();
    if (shed != null) {
      throw new ServiceUnavailableException("Cannot accept events of source '" + stream + "': " + shed
          + " (nothing of this batch was accepted; send it again in a second)", java.time.Duration.ofSeconds(1));
    }
    PushedEvents converter = new PushedEvents(source);
    List<PushedEvents.Converted> accepted = new ArrayList<>(events.size());
    List<PushResult.Rejection> rejected = new ArrayList<>();
    List<Row> quarantine = new ArrayList<>();
    long now = clock.millis();
    for (int i = 0; i < events.size(); i++) {
      PushedEvents.Converted converted = converter.convert(events.get(i));
      Violation violation = judge(converted, now);
      if (violation == null) {
        accepted.add(converted);
      } else {
        rejected.add(new PushResult.Rejection(i, violation.rule() + ": " + violation.reason()));
        quarantine.add(Quarantine.row(now, Quarantine.Origin.PUSH, "push", i, violation, rawJson(events.get(i)), null));
      }
    }
    if (!quarantine.isEmpty()) {
      quarantine(quarantine);
    }
    judged(events.size(), quarantine.size(), "push");
    if (!accepted.isEmpty()) {
      requireRunning();
      committer.awaitDurable(accepted, null);
    }
    metrics.accepted(stream, accepted.size(), rejected.size());
    return new PushResult(accepted.size(), rejected);
  }

  /**
   * Why {@code converted}, received at {@code now}, is refused: it does not fit the source's
   * columns (rule {@code schema}) or fails a rule of the source's contract; null if it passes.
   */
  public Violation judge(PushedEvents.Converted converted, long now) {
    if (!converted.accepted()) {
      quality.schemaFailure();
      return Violation.schema(converted.rejection());
    }
    return gate.check(converted.eventTimeMillis(), now, converted.values(), quality);
  }

  /** The quality metrics of every event judged on this source's stream since the process started. */
  public QualityMetrics quality() {
    return quality;
  }

  /**
   * Counts {@code rows} judged events, {@code failed} of them quarantined, towards the source's
   * circuit breaker.
   *
   * @throws BreakerOpenException if they open it: the caller must not accept the batch
   */
  public void judged(long rows, long failed, String actor) {
    metrics.judged(stream, rows, failed);
    if (breakers != null && breakers.record(stream, rows, failed, actor)) {
      requireOpen("accept events (" + failed + " of the " + rows + " just received failed)");
    }
  }

  /** Whether the source's circuit breaker is open: nothing may be accepted or applied. */
  public boolean paused() {
    return breakers != null && breakers.isOpen(stream);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A pushed event as the JSON it arrived as (its parsed form written back). */
  public static String rawJson(Map<String, Object> event) {
    try {
      return JSON.writeValueAsString(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return String.valueOf(event);
    }
  }

  /** A logged event as the JSON object it was pushed as: its event time and column values. */
  public static String rawJson(EventRecords.Event event, Source source) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(source.eventTimeColumn(), event.eventTime());
    for (int i = 0; i < source.columns().size(); i++) {
      fields.put(source.columns().get(i).name(), event.values()[i]);
    }
    return rawJson(fields);
  }

  private void requireOpen(String action) {
    if (breakers != null) {
      breakers.requireClosed(stream, action);
    }
  }

  /**
   * Durably accepts events tailed from a file, each with where its line ends, so a restarted
   * tailer resumes right after the last durable one.
   *
   * @return the log position of each event
   */
  public List<Position> acceptTailed(List<PushedEvents.Converted> events, List<EventRecords.Origin> origins) {
    requireOpen("accept events");
    // a file or feed is read at the pace it is applied: wait while the backlog is over its limit
    while (running && failure == null && shedding()) {
      StageHealth.sleepQuietly(20);
    }
    requireRunning();
    List<Position> positions = committer.awaitDurable(events, origins);
    metrics.accepted(stream, events.size(), 0);
    return positions;
  }

  public void quarantine(List<Row> rows) {
    OfflineTables.appendNumbered(offline, Ingester.quarantineTable(stream), Ingester.QUARANTINE_SCHEMA, "append to",
        rows, "push:" + UUID.randomUUID());
  }

  /** @throws ServiceUnavailableException if the stream stopped or does not run in this process */
  private void requireRunning() {
    if (failure != null) {
      throw new ServiceUnavailableException("Cannot accept events of source '" + stream + "': its stream stopped ("
          + failure.getMessage() + "; restart lockstep serve)", java.time.Duration.ofSeconds(5));
    }
    if (!running) {
      throw new ServiceUnavailableException("Cannot accept events of source '" + stream
          + "': streaming is not running in this process (start it with lockstep serve)", java.time.Duration.ofSeconds(5));
    }
  }

  /** An instant that no group will be stamped below from now on ({@link GroupCommitter}). */
  public long ingestWatermark() {
    return committer.ingestWatermark();
  }

  /** Applies what is stamped below {@code ingestWatermark} ({@link Applier#applyOnce}). */
  public boolean applyOnce(long ingestWatermark) {
    return applier.applyOnce(ingestWatermark);
  }

  /** Appends what the log holds beyond the offline table ({@link OfflineAppender}). */
  public long appendOffline() {
    return appender.appendOffline();
  }

  /** The commit key the offline appender gives the batch of {@code source}'s log events from {@code start}. */
  public static String offlineCommitKey(String source, long start) {
    return OfflineAppender.commitKey(source, start);
  }

  // ---------------------------------------------------------------- startup

  private long highestOfflineSequence() {
    return offline.tables().contains(source.name()) ? offline.highestSequence(source.name()) : 0;
  }

  private long highestLogSequence(EventLog log) {
    long end = log.endPositions(stream).get(0).offset();
    long start = log.startPositions(stream).get(0).offset();
    if (end <= start) {
      return 0;
    }
    List<LogEntry> last = readSome(log, stream, end - 1, 1);
    try {
      return last.isEmpty() ? 0 : events.decode(last.get(0).record().value()).sequence();
    } catch (CorruptDataException e) {
      return 0;
    }
  }

  /**
   * Records from {@code offset}, known to exist: a log may return none from one read (a Kafka poll
   * that timed out), so this reads again, for up to a minute.
   *
   * @throws LockstepException if none came back
   */
  public static List<LogEntry> readSome(EventLog log, String stream, long offset, int maxRecords) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      List<LogEntry> entries = log.read(stream, new Position(0, offset), maxRecords);
      if (!entries.isEmpty() || System.nanoTime() > deadline) {
        if (entries.isEmpty()) {
          throw new LockstepException("Cannot read the event log of source '" + stream + "' at offset " + offset
              + ": no record came back for a minute although the log holds it (check the " + log.displayName()
              + " event log)");
        }
        return entries;
      }
    }
  }

  /** Keeps the log from being truncated at or past {@code offset} on behalf of {@code owner}. */
  public void truncationFloor(String owner, long offset) {
    appender.truncationFloor(owner, offset);
  }

  /**
   * The newest event time applied to {@code view}'s state: by this process, or before it started as
   * the online checkpoint recorded it for the source; {@code Long.MIN_VALUE} if unknown (nothing
   * applied since the last materialize, or a checkpoint written before this was kept).
   */
  public long newestApplied(String view) {
    return applier.newestApplied(view);
  }

  /** The newest ingest time of an accepted event, or {@code Long.MIN_VALUE}. */
  public long lastAcceptedIngestTime() {
    return committer.lastAcceptedIngestTime();
  }

  /**
   * Stops this stream at once, without appending to the offline table: another process writes the
   * source now. Its threads end after the step in progress; pushes fail with {@code reason}.
   */
  public void fence(String reason) {
    failure = new LockstepException(reason);
    running = false;
    committer.failWaiting(failure);
  }

  /** The first failure of a streaming thread, if any. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Stops the threads (never by interrupting them: an interrupt closes file channels mid-write),
   * fails pushes still waiting, and appends what the log holds to the offline table.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    appender.wake();
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
    committer.failWaiting(new IllegalStateException("the server is stopping"));
    appendOffline();
  }
}
