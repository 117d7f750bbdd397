package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.EntityKeys;
import dev.lockstep.core.online.state.EventRecords;
import dev.lockstep.core.online.state.MonotonicClock;

import dev.lockstep.api.client.ServiceUnavailableException;
import dev.lockstep.api.definition.Source;
import dev.lockstep.io.PushedEvents;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first stage of a {@link SourceStream}: makes accepted events durable in the event log, in
 * groups that share one ingest time and one fsync.
 *
 * <p>Ingest times come from a monotonic clock, so the log is ordered by them; {@link
 * #ingestWatermark()} is an instant no future group will be stamped below.
 *
 * <p>Thread-safe: callers enqueue and wait; only the commit thread ({@link #run}) appends, stamps
 * and numbers.
 */
public final class GroupCommitter {
  private record Pending(List<PushedEvents.Converted> events, List<EventRecords.Origin> origins,
      CompletableFuture<List<Position>> done) {}

  private final SourceStream owner;
  private final Source source;
  private final String stream;
  private final int fingerprint;
  private final int[] keyPositions;
  private final EventLog log;
  private final MonotonicClock clock;
  private final Runnable committed;
  private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
  private volatile long inflight = Long.MAX_VALUE;
  /** The log offset after the last event made durable. */
  private volatile long committedEnd;
  private final AtomicLong lastAcceptedIngestTime = new AtomicLong(Long.MIN_VALUE);
  private long lastIngestTime = Long.MIN_VALUE;
  private long sequence;

  /**
   * @param sequence the highest event sequence given so far
   * @param committed called after each group, to wake the applier
   */
  public GroupCommitter(SourceStream owner, EventLog log, MonotonicClock clock, long sequence, Runnable committed) {
    this.owner = owner;
    this.source = owner.source();
    this.stream = source.name();
    this.fingerprint = EventRecords.fingerprint(source);
    this.keyPositions = EntityKeys.keyPositions(source);
    this.log = log;
    this.clock = clock;
    this.sequence = sequence;
    this.committed = committed;
    this.committedEnd = log.endPositions(stream).get(0).offset();
  }

  /** The log offset after the last event made durable. */
  public long committedEnd() {
    return committedEnd;
  }

  /** The newest ingest time of an accepted event, or {@code Long.MIN_VALUE}. */
  public long lastAcceptedIngestTime() {
    return lastAcceptedIngestTime.get();
  }

  /**
   * An instant that no group will be stamped below from now on. Reads the clock before the
   * in-flight stamp: a group that starts after this call reads a clock at least as late.
   */
  public long ingestWatermark() {
    long now = clock.millis();
    return Math.min(now, inflight);
  }

  /**
   * Enqueues {@code events} and waits until they are fsynced.
   *
   * @return the log position of each event
   * @throws ServiceUnavailableException if the log failed or the wait was interrupted: nothing of
   *     the batch was acknowledged
   */
  public List<Position> awaitDurable(List<PushedEvents.Converted> events, List<EventRecords.Origin> origins) {
    CompletableFuture<List<Position>> done = new CompletableFuture<>();
    pending.add(new Pending(events, origins, done));
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableException("Cannot accept events of source '" + stream + "': interrupted while the"
          + " event log made them durable; nothing of this batch was acknowledged, send it again",
          Duration.ofSeconds(1));
    } catch (ExecutionException e) {
      throw new ServiceUnavailableException("Cannot accept events of source '" + stream + "': the event log failed ("
          + e.getCause().getMessage() + "); nothing of this batch was acknowledged, send it again",
          Duration.ofSeconds(1));
    }
  }

  /** Fails every batch still waiting with {@code failure}. */
  public void failWaiting(Throwable failure) {
    Pending left;
    while ((left = pending.poll()) != null) {
      left.done().completeExceptionally(failure);
    }
  }

  /** The commit thread's body: groups what waits, until the stream stops. */
  public void run() {
    List<Pending> group = new ArrayList<>();
    while (owner.isRunning()) {
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
    committed.run();
  }
}
