package dev.lockstep.core.online;

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
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.eventlog.SupportsTruncation;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The streaming path of one source: accepted events are made durable in the event log by a group
 * committer, applied to the online state by the applier, and appended to the offline table by the
 * offline appender, each on its own thread.
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
 * #OFFLINE_RULE}, with the store's reason) and the batch goes on without it. A stage that fails
 * (a backend down, a bug) is marked degraded and retried with backoff — the applier from its last
 * durable state — while pushes keep being acknowledged until the unapplied backlog reaches its
 * limit; beyond it pushes are refused with {@link ServiceUnavailableException} (HTTP 503) and
 * tailed files and feeds wait.
 */
final class SourceStream implements AutoCloseable {
  static final int READ_BATCH = 200_000;
  static final long OFFLINE_INTERVAL_MILLIS = 1_000;
  static final int OFFLINE_BATCH = 500_000;
  /** View states the applier keeps decoded between batches. */
  static final int WRITE_CACHE_STATES = 20_000;
  /**
   * The encoded bytes of the states the applier keeps decoded, at most: a state's decoded size grows
   * with its events (a day's raw events of a 30-day window), so a count alone does not bound memory.
   */
  static final long WRITE_CACHE_BYTES = 64L << 20;
  /** The quarantine rule of a logged event the offline table refused. */
  static final String OFFLINE_RULE = "offline_store";
  /** Longest pause between retries of a failing stage. */
  static final long MAX_BACKOFF_MILLIS = 5_000;

  private final Source source;
  private final String stream;
  private final int fingerprint;
  /** Decodes logged events, of the current columns and of earlier declarations; replaced before start. */
  private volatile EventRecords.Reader events;
  private final int[] keyPositions;
  private final List<ViewLayout> views;
  private final Map<String, ViewLayout> layoutsByView = new HashMap<>();
  private final EventLog log;
  private final SupportsAtomicCheckpoint store;
  private final SupportsIdempotentAppends offline;
  private final StateCache cache;
  private final MonotonicClock clock;
  private final OnlineMetrics metrics;
  private final ContractGate gate;
  private final QualityMetrics quality;
  private final Breakers breakers;
  /** Acknowledged events not applied yet beyond which pushes are refused (HTTP 503). */
  private final long maxUnapplied;
  /** How far, in milliseconds, the applier may trail the clock before pushes are refused. */
  private final long maxApplyLag;
  /** The log offset after the last event the committer made durable. */
  private volatile long committedEnd;
  /** The stages failing now (apply, offline), with why and since when; empty when healthy. */
  private final Map<String, Degradation> degraded = new java.util.concurrent.ConcurrentHashMap<>();

  /** A stage failing since {@code since}: it is retried with backoff and the stream goes on. */
  record Degradation(String stage, String reason, long since, long failures) {}

  private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
  private final Object applied = new Object();
  private final Object offlineWakeUp = new Object();
  private volatile long inflight = Long.MAX_VALUE;
  private volatile long watermark;
  private volatile long nextOffset;
  private volatile boolean running;
  /** Whether the source's offline table is known to exist with the source's columns. */
  private boolean offlineTableReady;
  private volatile Throwable failure;
  private long lastIngestTime = Long.MIN_VALUE;
  private long sequence;
  private final List<Thread> threads = new ArrayList<>();
  /**
   * The applier's mutable states, least recently used first, bounded by {@link #WRITE_CACHE_STATES}
   * and {@link #WRITE_CACHE_BYTES}; only the applier thread touches it.
   */
  private final Map<StateCache.Key, ViewState> writeCache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<StateCache.Key, ViewState> eldest) {
      if (size() > WRITE_CACHE_STATES) {
        writeCacheBytes -= eldest.getValue().encodedSize();
        return true;
      }
      return false;
    }
  };
  /** The encoded sizes of the states in {@link #writeCache}, summed. */
  private long writeCacheBytes;
  private final Map<String, Long> truncationFloors = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong lastAcceptedIngestTime = new AtomicLong(Long.MIN_VALUE);
  /** The newest event time applied to any view of the source, as the online checkpoint records it. */
  private volatile long newestEvent;
  /** Per view, the newest event time applied to its state by this process, for freshness lag. */
  private final Map<String, Long> newestApplied = new java.util.concurrent.ConcurrentHashMap<>();

  private record Pending(List<PushedEvents.Converted> events, List<EventRecords.Origin> origins,
      CompletableFuture<List<Position>> done) {}

  /**
   * @param gate the source's data contract, judging every event before it is accepted
   * @param breakers the project's circuit breakers, or null for none
   * @param limits acknowledged events waiting to be applied, and how far the applier may trail,
   *     beyond which pushes are refused
   */
  SourceStream(Source source, List<ViewLayout> views, EventLog log, SupportsAtomicCheckpoint store,
      SupportsIdempotentAppends offline, StateCache cache, MonotonicClock clock, OnlineMetrics metrics,
      ContractGate gate, Breakers breakers, LimitsConfig limits) {
    this.maxUnapplied = limits.maxUnappliedEvents();
    this.maxApplyLag = limits.maxApplyLag().toMillis();
    this.source = source;
    this.gate = gate;
    this.quality = gate.metrics();
    this.breakers = breakers;
    this.stream = source.name();
    this.fingerprint = EventRecords.fingerprint(source);
    this.events = new EventRecords.Reader(source, List.of());
    this.keyPositions = EntityKeys.keyPositions(source);
    this.views = views;
    views.forEach(layout -> layoutsByView.put(layout.view().name(), layout));
    this.log = log;
    this.store = store;
    this.offline = offline;
    this.cache = cache;
    this.clock = clock;
    this.metrics = metrics;
    log.createStream(stream, 1);
    long[] checkpoint = Checkpoints.decode(store.checkpoint(Checkpoints.online(stream)).orElse(null));
    this.nextOffset = checkpoint == null ? log.startPositions(stream).get(0).offset() : checkpoint[0];
    this.watermark = checkpoint == null ? Long.MIN_VALUE : checkpoint[1];
    this.newestEvent = checkpoint == null || checkpoint.length < 3 ? Long.MIN_VALUE : checkpoint[2];
    this.sequence = Math.max(highestOfflineSequence(), highestLogSequence());
    this.committedEnd = log.endPositions(stream).get(0).offset();
  }

  Source source() {
    return source;
  }

  List<ViewLayout> views() {
    return views;
  }

  /** Every event ingested before this instant is in the online state; none after. */
  long watermark() {
    return watermark;
  }

  /** The log offset the applier resumes at: every event before it is applied. */
  long appliedOffset() {
    return nextOffset;
  }

  /** Whether the applier and appender threads run in this process. */
  boolean live() {
    return running;
  }

  void start() {
    running = true;
    threads.add(daemon("lockstep-commit-" + stream, this::commitLoop));
    threads.add(daemon("lockstep-apply-" + stream, this::applyLoop));
    threads.add(daemon("lockstep-offline-" + stream, this::offlineLoop));
  }

  /**
   * Reads logged events written under {@code earlier} declarations of the source too (a column
   * added since they were logged): call before {@link #start}.
   */
  void readEventsOf(java.util.Collection<Source> earlier) {
    events = new EventRecords.Reader(source, earlier);
  }

  /** The decoder of this stream's logged events. */
  EventRecords.Reader events() {
    return events;
  }

  /** Acknowledged events not applied to the online state yet. */
  long unapplied() {
    return Math.max(0, committedEnd - nextOffset);
  }

  /**
   * How far the applier trails the clock while acknowledged events wait: now minus the watermark
   * it published last (an upper bound of the oldest waiting event's age); 0 when none waits.
   */
  long applyLag() {
    long published = watermark;
    return unapplied() == 0 || published == Long.MIN_VALUE ? 0 : Math.max(0, clock.millis() - published);
  }

  /**
   * Why pushes are refused now — too many acknowledged events wait to be applied, or the applier
   * trails too far — or null when they are taken.
   */
  String shedReason() {
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
  boolean shedding() {
    return shedReason() != null;
  }

  /** The stages failing now, by stage; empty when the stream is healthy. */
  Map<String, Degradation> degradations() {
    return Map.copyOf(degraded);
  }

  private void failed(String stage, RuntimeException e) {
    Degradation before = degraded.get(stage);
    long failures = before == null ? 1 : before.failures() + 1;
    degraded.put(stage, new Degradation(stage, String.valueOf(e.getMessage()), before == null ? clock.millis() : before.since(),
        failures));
    if (before == null || Long.bitCount(failures) == 1) { // the 1st, 2nd, 4th, 8th, ... failure in a row
      System.err.println("lockstep: the " + stage + " stage of source '" + stream + "' failed " + failures
          + " time(s) in a row, retrying: " + e.getMessage());
    }
  }

  private void recovered(String stage) {
    if (degraded.remove(stage) != null) {
      System.err.println("lockstep: the " + stage + " stage of source '" + stream + "' works again");
    }
  }

  private static long backoff(Degradation degradation) {
    return degradation == null ? 0 : Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(16, degradation.failures()));
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

  // ---------------------------------------------------------------- push and group commit

  /**
   * Converts, quarantines the rejects of, and durably accepts {@code events}; returns once every
   * accepted event is fsynced in the log.
   */
  PushResult push(List<Map<String, Object>> events) {
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
      awaitDurable(accepted, null);
    }
    metrics.accepted(stream, accepted.size(), rejected.size());
    return new PushResult(accepted.size(), rejected);
  }

  /**
   * Why {@code converted}, received at {@code now}, is refused: it does not fit the source's
   * columns (rule {@code schema}) or fails a rule of the source's contract; null if it passes.
   */
  Violation judge(PushedEvents.Converted converted, long now) {
    if (!converted.accepted()) {
      quality.schemaFailure();
      return Violation.schema(converted.rejection());
    }
    return gate.check(converted.eventTimeMillis(), now, converted.values(), quality);
  }

  /** The quality metrics of every event judged on this source's stream since the process started. */
  QualityMetrics quality() {
    return quality;
  }

  /**
   * Counts {@code rows} judged events, {@code failed} of them quarantined, towards the source's
   * circuit breaker.
   *
   * @throws BreakerOpenException if they open it: the caller must not accept the batch
   */
  void judged(long rows, long failed, String actor) {
    metrics.judged(stream, rows, failed);
    if (breakers != null && breakers.record(stream, rows, failed, actor)) {
      requireOpen("accept events (" + failed + " of the " + rows + " just received failed)");
    }
  }

  /** Whether the source's circuit breaker is open: nothing may be accepted or applied. */
  boolean paused() {
    return breakers != null && breakers.isOpen(stream);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A pushed event as the JSON it arrived as (its parsed form written back). */
  static String rawJson(Map<String, Object> event) {
    try {
      return JSON.writeValueAsString(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return String.valueOf(event);
    }
  }

  /** A logged event as the JSON object it was pushed as: its event time and column values. */
  private static String rawJson(EventRecords.Event event, Source source) {
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
  List<Position> acceptTailed(List<PushedEvents.Converted> events, List<EventRecords.Origin> origins) {
    requireOpen("accept events");
    // a file or feed is read at the pace it is applied: wait while the backlog is over its limit
    while (running && failure == null && shedding()) {
      sleepQuietly(20);
    }
    List<Position> positions = awaitDurable(events, origins);
    metrics.accepted(stream, events.size(), 0);
    return positions;
  }

  void quarantine(List<Row> rows) {
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

  private List<Position> awaitDurable(List<PushedEvents.Converted> events, List<EventRecords.Origin> origins) {
    requireRunning();
    CompletableFuture<List<Position>> done = new CompletableFuture<>();
    pending.add(new Pending(events, origins, done));
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableException("Cannot accept events of source '" + stream + "': interrupted while the"
          + " event log made them durable; nothing of this batch was acknowledged, send it again",
          java.time.Duration.ofSeconds(1));
    } catch (ExecutionException e) {
      throw new ServiceUnavailableException("Cannot accept events of source '" + stream + "': the event log failed ("
          + e.getCause().getMessage() + "); nothing of this batch was acknowledged, send it again",
          java.time.Duration.ofSeconds(1));
    }
  }

  /**
   * An instant that no group will be stamped below from now on. Reads the clock before the
   * in-flight stamp: a group that starts after this call reads a clock at least as late.
   */
  long ingestWatermark() {
    long now = clock.millis();
    return Math.min(now, inflight);
  }

  private void commitLoop() {
    List<Pending> group = new ArrayList<>();
    while (running) {
      try {
        Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.clear();
        group.add(first);
        pending.drainTo(group);
        commit(group);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Groups of pushed events share one ingest time and one fsync. */
  private void commit(List<Pending> group) {
    inflight = clock.millis();
    long ingestTime = Math.max(clock.millis(), lastIngestTime);
    List<LogRecord> records = new ArrayList<>();
    long nextSequence = sequence;
    for (Pending pendingEvents : group) {
      for (int i = 0; i < pendingEvents.events().size(); i++) {
        PushedEvents.Converted event = pendingEvents.events().get(i);
        EventRecords.Origin origin = pendingEvents.origins() == null ? EventRecords.PUSHED : pendingEvents.origins().get(i);
        byte[] key = EntityKeys.ofEvent(source, keyPositions, event.values()).bytes();
        byte[] value = EventRecords.encode(fingerprint, event.eventTimeMillis(), ++nextSequence, event.values(), origin);
        records.add(new LogRecord(key, value, ingestTime));
      }
    }
    try {
      List<Position> positions = log.append(stream, records);
      if (!positions.isEmpty()) {
        committedEnd = Math.max(committedEnd, positions.get(positions.size() - 1).offset() + 1);
      }
      sequence = nextSequence;
      lastIngestTime = ingestTime;
      lastAcceptedIngestTime.accumulateAndGet(ingestTime, Math::max);
      int from = 0;
      for (Pending done : group) {
        int size = done.events().size();
        done.done().complete(positions.subList(from, from + size));
        from += size;
      }
    } catch (RuntimeException e) {
      group.forEach(done -> done.done().completeExceptionally(e));
    } finally {
      inflight = Long.MAX_VALUE;
    }
    synchronized (applied) {
      applied.notifyAll();
    }
  }

  // ---------------------------------------------------------------- applying to the online state

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void applyLoop() {
    while (running) {
      if (paused()) {
        // the breaker is open: acknowledged events wait in the log, the watermark stands still
        sleepQuietly(50);
        continue;
      }
      boolean progressed;
      try {
        progressed = applyOnce(ingestWatermark());
        recovered("apply");
      } catch (RuntimeException e) {
        // states changed in memory may not have been written: start again from the store's
        writeCache.clear();
        writeCacheBytes = 0;
        failed("apply", e);
        sleepQuietly(backoff(degraded.get("apply")));
        continue;
      }
      if (!progressed) {
        synchronized (applied) {
          try {
            applied.wait(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }

  /**
   * Applies the events stamped below {@code ingestWatermark}, at most about {@link #READ_BATCH},
   * and publishes the new watermark.
   *
   * @return whether any event was applied
   */
  boolean applyOnce(long ingestWatermark) {
    List<LogEntry> entries = log.read(stream, new Position(0, nextOffset), READ_BATCH);
    // Every event stamped below ingestWatermark was durable before it was taken, so it lies below
    // the end read now. A log may return fewer records than it holds (a Kafka poll returns what one
    // fetch brought): read on to that end, or the watermark would pass events not applied yet.
    long end = log.endPositions(stream).get(0).offset();
    long readTo = entries.isEmpty() ? nextOffset : entries.get(entries.size() - 1).position().offset() + 1;
    while (readTo < end && entries.size() < READ_BATCH) {
      List<LogEntry> more = log.read(stream, new Position(0, readTo), READ_BATCH - entries.size());
      if (!more.isEmpty()) {
        entries = new ArrayList<>(entries);
        entries.addAll(more);
        readTo = more.get(more.size() - 1).position().offset() + 1;
      } else if (!running) {
        return false;
      }
    }
    int count = 0;
    while (count < entries.size() && entries.get(count).record().timestampMillis() < ingestWatermark) {
      count++;
    }
    long newWatermark = ingestWatermark;
    if (count == entries.size() && entries.size() == READ_BATCH) {
      // a full read: stop at the last ingest-time boundary, so a group is applied whole
      long last = entries.get(count - 1).record().timestampMillis();
      int boundary = count;
      while (boundary > 0 && entries.get(boundary - 1).record().timestampMillis() == last) {
        boundary--;
      }
      if (boundary > 0) {
        count = boundary;
        newWatermark = last;
      }
    }
    if (count == 0) {
      if (newWatermark > watermark) {
        watermark = newWatermark;
      }
      return false;
    }
    apply(entries.subList(0, count), newWatermark);
    return true;
  }

  private void apply(List<LogEntry> entries, long newWatermark) {
    Map<EntityKey, List<LogEntry>> byEntity = new LinkedHashMap<>();
    for (LogEntry entry : entries) {
      byEntity.computeIfAbsent(EntityKey.of(entry.record().key()), key -> new ArrayList<>()).add(entry);
    }
    Map<String, List<Entry>> writes = new LinkedHashMap<>();
    StateExpiry expiry = new StateExpiry(store);
    List<Runnable> publish = new ArrayList<>();
    long newestSoFar = newestEvent;
    List<EntityKey> keys = new ArrayList<>(byEntity.keySet());
    long late = 0;
    long undecodable = 0;
    for (ViewLayout layout : views) {
      String view = layout.view().name();
      long newest = Long.MIN_VALUE;
      List<ViewState> current = writable(layout, keys);
      List<Entry> viewWrites = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        ViewState state = current.get(i);
        for (LogEntry entry : byEntity.get(keys.get(i))) {
          EventRecords.Event event;
          try {
            event = events.decode(entry.record().value());
          } catch (CorruptDataException e) {
            undecodable++;
            continue;
          }
          long ingestTime = entry.record().timestampMillis();
          if (!layout.acceptsLateness(event.eventTime(), ingestTime)) {
            late++;
            continue;
          }
          state.apply(event.eventTime(), ingestTime, event.sequence(), event.values());
          newest = Math.max(newest, event.eventTime());
        }
        state.expireBefore(newWatermark);
        state.writtenThrough(newWatermark);
        expiry.note(layout, state);
        int before = state.encodedSize();
        byte[] bytes = state.encode();
        writeCacheBytes += bytes.length - before;
        viewWrites.add(new Entry(keys.get(i), bytes));
        EntityKey key = keys.get(i);
        StateCache.Cached fresh = new StateCache.Cached(layout, bytes, newWatermark);
        publish.add(() -> cache.publish(view, key, fresh));
      }
      writes.put(view, viewWrites);
      if (newest != Long.MIN_VALUE) {
        long applied = newest;
        newestSoFar = Math.max(newestSoFar, applied);
        publish.add(() -> newestApplied.merge(view, applied, Math::max));
      }
    }
    long next = entries.get(entries.size() - 1).position().offset() + 1;
    store.writeWithCheckpoint(writes, expiry.ttls(layoutsByView, clock.millis()), Checkpoints.online(stream),
        Checkpoints.encode(next, newWatermark, newestSoFar));
    newestEvent = newestSoFar;
    publish.forEach(Runnable::run);
    trimWriteCache();
    nextOffset = next;
    watermark = newWatermark;
    metrics.applied(stream, entries.size(), late, undecodable,
        clock.millis() - entries.get(0).record().timestampMillis());
  }

  /** Drops the least recently used states until the write cache is within its byte budget. */
  private void trimWriteCache() {
    java.util.Iterator<ViewState> eldest = writeCache.values().iterator();
    while (writeCacheBytes > WRITE_CACHE_BYTES && eldest.hasNext()) {
      writeCacheBytes -= eldest.next().encodedSize();
      eldest.remove();
    }
  }

  /**
   * The applier's own mutable states of {@code keys} in {@code layout}: kept between batches (so a
   * state is decoded once, not once per batch), loaded from the store when missing. Readers never
   * see these objects; they get the encoded bytes each write publishes.
   */
  private List<ViewState> writable(ViewLayout layout, List<EntityKey> keys) {
    List<ViewState> states = new ArrayList<>(keys.size());
    List<EntityKey> missing = new ArrayList<>();
    for (EntityKey key : keys) {
      ViewState state = writeCache.get(new StateCache.Key(layout.view().name(), key));
      states.add(state);
      if (state == null) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      List<byte[]> loaded = store.read(layout.view().name(), missing);
      int next = 0;
      for (int i = 0; i < states.size(); i++) {
        if (states.get(i) == null) {
          byte[] bytes = loaded.get(next++);
          ViewState state = bytes == null ? ViewState.empty(layout, watermark) : ViewState.decode(layout, bytes);
          writeCache.put(new StateCache.Key(layout.view().name(), keys.get(i)), state);
          writeCacheBytes += state.encodedSize();
          states.set(i, state);
        }
      }
    }
    return states;
  }

  // ---------------------------------------------------------------- appending to the offline table

  private void offlineLoop() {
    while (running) {
      synchronized (offlineWakeUp) {
        try {
          offlineWakeUp.wait(OFFLINE_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (running) {
        try {
          appendOffline();
          recovered("offline");
        } catch (RuntimeException e) {
          failed("offline", e);
          sleepQuietly(backoff(degraded.get("offline")));
        }
      }
    }
  }

  /** Appends what the log holds beyond the offline table, in batches; returns the rows appended. */
  synchronized long appendOffline() {
    String table = source.name();
    if (!offlineTableReady) {
      OfflineTables.ensure(offline, table, Ingester.tableSchema(source), "append to");
      offlineTableReady = true;
    }
    long[] checkpoint = Checkpoints.decode(store.checkpoint(Checkpoints.offline(stream)).orElse(null));
    long start = checkpoint == null ? log.startPositions(stream).get(0).offset() : checkpoint[0];
    long end = checkpoint == null ? start : checkpoint[1];
    long appended = 0;
    if (end > start) {
      // a batch was being committed when the process stopped: finish it or skip it
      if (offline.findCommit(table, commitKey(start)).isEmpty()) {
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
      long batchEnd = Math.min(logEnd, start + OFFLINE_BATCH);
      store.writeWithCheckpoint(Map.of(), Checkpoints.offline(stream), Checkpoints.encode(start, batchEnd));
      appended += appendRange(table, start, batchEnd);
      start = batchEnd;
      store.writeWithCheckpoint(Map.of(), Checkpoints.offline(stream), Checkpoints.encode(start, start));
    }
    if (log instanceof SupportsTruncation truncation) {
      long truncateBefore = Math.min(start, nextOffset);
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
    List<Row> rows = new ArrayList<>((int) Math.min(end - start, OFFLINE_BATCH));
    List<Row> refused = new ArrayList<>();
    dev.lockstep.spi.offline.Schema schema = Ingester.tableSchema(source);
    long offset = start;
    while (offset < end) {
      List<LogEntry> entries = log.read(stream, new Position(0, offset), (int) Math.min(end - offset, READ_BATCH));
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
                rawJson(event, source), null));
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
          refused, "refused:" + commitKey(start));
      metrics.judged(stream, 0, refused.size());
    }
    offline.append(table, rows, commitKey(start));
    metrics.offline(stream, rows.size());
    return rows.size();
  }

  private String commitKey(long start) {
    return offlineCommitKey(stream, start);
  }

  /** The commit key the offline appender gives the batch of {@code source}'s log events from {@code start}. */
  static String offlineCommitKey(String source, long start) {
    return "log:" + source + ":0:" + start;
  }

  // ---------------------------------------------------------------- startup

  private long highestOfflineSequence() {
    return offline.tables().contains(source.name()) ? offline.highestSequence(source.name()) : 0;
  }

  private long highestLogSequence() {
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
  static List<LogEntry> readSome(EventLog log, String stream, long offset, int maxRecords) {
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
  void truncationFloor(String owner, long offset) {
    truncationFloors.put(owner, offset);
  }

  /**
   * The newest event time applied to {@code view}'s state: by this process, or before it started as
   * the online checkpoint recorded it for the source; {@code Long.MIN_VALUE} if unknown (nothing
   * applied since the last materialize, or a checkpoint written before this was kept).
   */
  long newestApplied(String view) {
    return newestApplied.getOrDefault(view, newestEvent);
  }

  /** The newest ingest time of an accepted event, or {@code Long.MIN_VALUE}. */
  long lastAcceptedIngestTime() {
    return lastAcceptedIngestTime.get();
  }

  /**
   * Stops this stream at once, without appending to the offline table: another process writes the
   * source now. Its threads end after the step in progress; pushes fail with {@code reason}.
   */
  void fence(String reason) {
    failure = new LockstepException(reason);
    running = false;
    Pending left;
    while ((left = pending.poll()) != null) {
      left.done().completeExceptionally(failure);
    }
  }

  /** The first failure of a streaming thread, if any. */
  Throwable failure() {
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
    synchronized (offlineWakeUp) {
      offlineWakeUp.notifyAll();
    }
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
    Pending left;
    while ((left = pending.poll()) != null) {
      left.done().completeExceptionally(new IllegalStateException("the server is stopping"));
    }
    appendOffline();
  }
}
