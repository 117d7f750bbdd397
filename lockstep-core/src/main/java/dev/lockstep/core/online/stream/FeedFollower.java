package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.Checkpoints;
import dev.lockstep.core.online.state.EventRecords;

import dev.lockstep.io.PushedEvents;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.feed.FeedReader;
import dev.lockstep.spi.feed.FeedRecord;
import dev.lockstep.spi.feed.SupportsDeadLetters;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.core.quality.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows an external feed (a Kafka topic of JSON records) into a source's stream, exactly once
 * across crashes. Each event made durable in the log carries its origin (the partition's origin id
 * and the offset past its record), so a restarted follower reads in the log itself where each
 * partition got to; a checkpoint per partition in the online store only shortens that search and
 * remembers offsets past records that produced no event.
 *
 * <p>A record that is not a JSON object, or does not fit the source, goes to the source's
 * quarantine with its reason and position, and to the feed's dead-letter destination when it has
 * one; the follower moves on, so a poison record never stalls the feed. If the process stops
 * between quarantining a record and the next checkpoint, the record may be quarantined again.
 */
public final class FeedFollower implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final SourceStream stream;
  private final FeedReader reader;
  private final EventLog log;
  private final SupportsAtomicCheckpoint store;
  private final Map<Integer, Integer> originIds = new LinkedHashMap<>();
  private final Map<Integer, Long> next = new HashMap<>();
  private volatile boolean running = true;
  private volatile boolean deadLetters;
  private Thread thread;

  public FeedFollower(SourceStream stream, FeedReader reader, EventLog log, SupportsAtomicCheckpoint store) {
    this.stream = stream;
    this.reader = reader;
    this.log = log;
    this.store = store;
    this.deadLetters = reader instanceof SupportsDeadLetters;
  }

  /** The offset each partition resumes at after this follower's last durable batch. */
  public Map<Integer, Long> positions() {
    synchronized (next) {
      return Map.copyOf(next);
    }
  }

  public void start() {
    Map<Integer, Long> resume = resumeOffsets();
    synchronized (next) {
      next.putAll(resume);
    }
    reader.seek(resume);
    thread = new Thread(this::run, "lockstep-feed-" + stream.source().name());
    thread.setDaemon(true);
    thread.start();
  }

  private String checkpoint(int originId) {
    return "feed:" + stream.source().name() + ":" + Integer.toHexString(originId);
  }

  /** Per partition, the offset past the last record the log or a checkpoint says took effect. */
  public Map<Integer, Long> resumeOffsets() {
    long from = Long.MAX_VALUE;
    Map<Integer, Long> resume = new HashMap<>();
    for (int partition : reader.partitions()) {
      // the description of a partition's first offset names the feed and the partition, stably
      int id = Origins.id(reader.describe(partition, 0));
      originIds.put(partition, id);
      long[] saved = Checkpoints.decode(store.checkpoint(checkpoint(id)).orElse(null));
      from = Math.min(from, saved == null ? 0 : saved[0]);
      if (saved != null) {
        resume.put(partition, saved[1]);
      }
    }
    stream.truncationFloor("feed:" + stream.source().name(), from == Long.MAX_VALUE ? 0 : from);
    Map<Integer, Long> found = Origins.scan(stream, log, from == Long.MAX_VALUE ? 0 : from,
        Set.copyOf(originIds.values()));
    originIds.forEach((partition, id) -> {
      Long offset = found.get(id);
      if (offset != null) {
        resume.merge(partition, offset, Math::max);
      }
    });
    return resume;
  }

  private void run() {
    while (running) {
      if (stream.paused()) {
        // the source's circuit breaker is open: the feed keeps its position until it is reset
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      try {
        List<FeedRecord> records = reader.poll(POLL);
        if (!records.isEmpty()) {
          consume(records);
        }
      } catch (RuntimeException e) {
        System.err.println("lockstep: following " + stream.source().name() + " failed (" + e.getMessage()
            + "); retrying");
        try {
          Thread.sleep(1_000);
          reader.seek(positions());
        } catch (InterruptedException interrupted) {
          return;
        } catch (RuntimeException again) {
          // the next poll reports it
        }
      }
    }
  }

  private void consume(List<FeedRecord> records) {
    synchronized (next) {
      // a partition read for the first time (start: latest, or nothing consumed yet) gets its
      // position now, so a batch that fails (or opens the breaker) is read again from its start
      for (FeedRecord record : records) {
        next.putIfAbsent(record.partition(), record.offset());
      }
    }
    PushedEvents converter = new PushedEvents(stream.source());
    List<PushedEvents.Converted> events = new ArrayList<>();
    List<EventRecords.Origin> origins = new ArrayList<>();
    List<Row> rejected = new ArrayList<>();
    List<SupportsDeadLetters.DeadLetter> letters = new ArrayList<>();
    Map<Integer, Long> consumed = new HashMap<>();
    for (FeedRecord record : records) {
      consumed.merge(record.partition(), record.offset() + 1, Math::max);
      String text = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
      PushedEvents.Converted converted = text == null
          ? Origins.refused("the record has no value")
          : Origins.parse(converter, text, "record");
      long now = System.currentTimeMillis();
      Violation violation = stream.judge(converted, now);
      if (violation == null) {
        events.add(converted);
        origins.add(new EventRecords.Origin(originIds.get(record.partition()), record.offset() + 1));
      } else {
        rejected.add(Quarantine.row(now, Quarantine.Origin.FEED, reader.describe(record.partition(), record.offset()),
            record.offset(), violation, text == null ? "" : text, null));
        letters.add(new SupportsDeadLetters.DeadLetter(record, violation.rule() + ": " + violation.reason()));
      }
    }
    if (!rejected.isEmpty()) {
      stream.quarantine(rejected);
      deadLetter(letters);
    }
    stream.judged(records.size(), rejected.size(), "feed " + reader.describe(records.get(0).partition(),
        records.get(0).offset()));
    long logNext;
    if (!events.isEmpty()) {
      List<Position> positions = stream.acceptTailed(events, origins);
      logNext = positions.get(positions.size() - 1).offset() + 1;
    } else {
      logNext = log.endPositions(stream.source().name()).get(0).offset();
    }
    for (Map.Entry<Integer, Long> partition : consumed.entrySet()) {
      store.writeWithCheckpoint(Map.of(), checkpoint(originIds.get(partition.getKey())),
          Checkpoints.encode(logNext, partition.getValue()));
    }
    stream.truncationFloor("feed:" + stream.source().name(), logNext);
    synchronized (next) {
      next.putAll(consumed);
    }
  }

  private void deadLetter(List<SupportsDeadLetters.DeadLetter> letters) {
    if (!deadLetters) {
      return;
    }
    try {
      ((SupportsDeadLetters) reader).deadLetter(letters);
    } catch (UnsupportedBackendOperationException e) {
      deadLetters = false; // no dead-letter destination configured: the quarantine table has them
    }
  }

  /** Stops after the batch in progress and closes the reader. */
  @Override
  public void close() {
    running = false;
    if (thread != null) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    reader.close();
  }
}
