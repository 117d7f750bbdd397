package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.Checkpoints;
import dev.lockstep.core.online.state.EventRecords;
import dev.lockstep.core.online.state.MonotonicClock;
import dev.lockstep.core.online.state.OnlineMetrics;
import dev.lockstep.core.online.state.StateCache;
import dev.lockstep.core.online.state.StateExpiry;
import dev.lockstep.core.online.state.ViewLayout;
import dev.lockstep.core.online.state.ViewState;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The second stage of a {@link SourceStream}: applies logged events to the online state of the
 * source's views, in log order, and publishes the watermark.
 *
 * <p><b>The watermark.</b> It applies exactly the events stamped below the ingest watermark it
 * read before reading the log, then publishes that watermark as {@code W}: the online state holds
 * every event ingested before {@code W} and none after. It writes states together with its log
 * position in one atomic store write, so after a crash it resumes without losing or repeating an
 * event.
 *
 * <p>Thread-safe for its readers (watermark, offsets, freshness are volatile or concurrent); only
 * the apply thread ({@link #run}) applies, and only it touches the write cache.
 */
public final class Applier {
  public static final int READ_BATCH = 200_000;
  /** View states the applier keeps decoded between batches. */
  public static final int WRITE_CACHE_STATES = 20_000;
  /**
   * The encoded bytes of the states the applier keeps decoded, at most: a state's decoded size grows
   * with its events (a day's raw events of a 30-day window), so a count alone does not bound memory.
   */
  public static final long WRITE_CACHE_BYTES = 64L << 20;

  private final SourceStream owner;
  private final String stream;
  private final List<ViewLayout> views;
  private final Map<String, ViewLayout> layoutsByView = new HashMap<>();
  private final EventLog log;
  private final SupportsAtomicCheckpoint store;
  private final StateCache cache;
  private final MonotonicClock clock;
  private final OnlineMetrics metrics;
  private final StageHealth health;
  private final Object wakeUp = new Object();
  private volatile long watermark;
  private volatile long nextOffset;
  /** The newest event time applied to any view of the source, as the online checkpoint records it. */
  private volatile long newestEvent;
  /** Per view, the newest event time applied to its state by this process, for freshness lag. */
  private final Map<String, Long> newestApplied = new ConcurrentHashMap<>();
  /**
   * The applier's mutable states, least recently used first, bounded by {@link #WRITE_CACHE_STATES}
   * and {@link #WRITE_CACHE_BYTES}.
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

  public Applier(SourceStream owner, List<ViewLayout> views, EventLog log, SupportsAtomicCheckpoint store, StateCache cache,
      MonotonicClock clock, OnlineMetrics metrics, StageHealth health) {
    this.owner = owner;
    this.stream = owner.source().name();
    this.views = views;
    views.forEach(layout -> layoutsByView.put(layout.view().name(), layout));
    this.log = log;
    this.store = store;
    this.cache = cache;
    this.clock = clock;
    this.metrics = metrics;
    this.health = health;
    long[] checkpoint = Checkpoints.decode(store.checkpoint(Checkpoints.online(stream)).orElse(null));
    this.nextOffset = checkpoint == null ? log.startPositions(stream).get(0).offset() : checkpoint[0];
    this.watermark = checkpoint == null ? Long.MIN_VALUE : checkpoint[1];
    this.newestEvent = checkpoint == null || checkpoint.length < 3 ? Long.MIN_VALUE : checkpoint[2];
  }

  /** Every event ingested before this instant is in the online state; none after. */
  public long watermark() {
    return watermark;
  }

  /** The log offset the applier resumes at: every event before it is applied. */
  public long nextOffset() {
    return nextOffset;
  }

  /** See {@link SourceStream#newestApplied}. */
  public long newestApplied(String view) {
    return newestApplied.getOrDefault(view, newestEvent);
  }

  /** Wakes the apply thread: a group was committed. */
  public void wake() {
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  /** The apply thread's body, until the stream stops. */
  public void run() {
    while (owner.isRunning()) {
      if (owner.paused()) {
        // the breaker is open: acknowledged events wait in the log, the watermark stands still
        StageHealth.sleepQuietly(50);
        continue;
      }
      boolean progressed;
      try {
        progressed = applyOnce(owner.ingestWatermark());
        health.recovered("apply");
      } catch (RuntimeException e) {
        // states changed in memory may not have been written: start again from the store's
        writeCache.clear();
        writeCacheBytes = 0;
        health.failed("apply", e);
        health.backOff("apply");
        continue;
      }
      if (!progressed) {
        synchronized (wakeUp) {
          try {
            wakeUp.wait(2);
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
  public boolean applyOnce(long ingestWatermark) {
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
      } else if (!owner.isRunning()) {
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
    EventRecords.Reader events = owner.events();
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
    Iterator<ViewState> eldest = writeCache.values().iterator();
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
}
