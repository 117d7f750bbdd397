package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.Checkpoints;
import dev.lockstep.core.online.state.EventRecords;

import dev.lockstep.io.PushedEvents;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.core.quality.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Follows a growing file of JSON lines (one event per line) and feeds each complete line into a
 * source's stream, like {@code tail -F}. Exactly once across crashes: every event carries the file
 * offset just past its line, so a restarted tailer resumes after the last line the log holds (a
 * checkpoint in the online store only shortens that search). A line that is not a JSON object, or
 * does not fit the source, goes to the source's quarantine with its reason; if the process stops
 * between quarantining a line and the next durable event, the line may be quarantined again.
 */
public final class FileTailer implements AutoCloseable {
  private static final int READ_BYTES = 1 << 20;
  private static final int MAX_EVENTS = 10_000;

  private final SourceStream stream;
  private final Path file;
  private final int fileId;
  private final EventLog log;
  private final SupportsAtomicCheckpoint store;
  private final String checkpoint;
  private volatile boolean running = true;
  private volatile long offset;
  private Thread thread;

  public FileTailer(SourceStream stream, Path file, EventLog log, SupportsAtomicCheckpoint store) {
    this.stream = stream;
    this.file = file.toAbsolutePath().normalize();
    this.fileId = Origins.id(this.file.toString());
    this.log = log;
    this.store = store;
    this.checkpoint = "tail:" + stream.source().name() + ":" + Integer.toHexString(fileId);
  }

  /** The file offset up to which lines are durable (accepted or quarantined). */
  public long offset() {
    return offset;
  }

  public Path file() {
    return file;
  }

  public void start() {
    offset = resumeOffset();
    thread = new Thread(this::run, "lockstep-tail-" + stream.source().name());
    thread.setDaemon(true);
    thread.start();
  }

  /** The offset past the last line the log holds from this file. */
  public long resumeOffset() {
    long[] saved = Checkpoints.decode(store.checkpoint(checkpoint).orElse(null));
    long from = saved == null ? 0 : saved[0];
    stream.truncationFloor(checkpoint, from);
    long resume = saved == null ? 0 : saved[1];
    return Math.max(resume, Origins.scan(stream, log, from, java.util.Set.of(fileId)).getOrDefault(fileId, 0L));
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
    while (running) {
      try {
        if (stream.paused()) {
          // the source's circuit breaker is open: the file keeps its offset until it is reset
          Thread.sleep(200);
          continue;
        }
        if (!Files.exists(file) || Files.size(file) <= offset) {
          if (Files.exists(file) && Files.size(file) < offset) {
            System.err.println("lockstep: " + file + " shrank below the tailed offset " + offset
                + "; waiting for it to grow again (tailing follows one growing file, not rotations)");
          }
          Thread.sleep(50);
          continue;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
          buffer.clear();
          int read = channel.read(buffer, offset);
          if (read <= 0) {
            continue;
          }
          consume(buffer.array(), read);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        System.err.println("lockstep: tailing " + file + " failed (" + e.getMessage() + "); retrying");
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Accepts every complete line in {@code bytes[0, length)}. */
  private void consume(byte[] bytes, int length) {
    PushedEvents converter = new PushedEvents(stream.source());
    List<PushedEvents.Converted> events = new ArrayList<>();
    List<EventRecords.Origin> origins = new ArrayList<>();
    List<Row> rejected = new ArrayList<>();
    int lineStart = 0;
    long consumed = offset;
    for (int i = 0; i < length && events.size() < MAX_EVENTS; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      long lineEnd = offset + i + 1;
      String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8).strip();
      lineStart = i + 1;
      consumed = lineEnd;
      if (line.isEmpty()) {
        continue;
      }
      PushedEvents.Converted converted = Origins.parse(converter, line, "line");
      long now = System.currentTimeMillis();
      Violation violation = stream.judge(converted, now);
      if (violation == null) {
        events.add(converted);
        origins.add(new EventRecords.Origin(fileId, lineEnd));
        continue;
      }
      rejected.add(Quarantine.row(now, Quarantine.Origin.TAIL, file.toString(), lineEnd, violation, line, null));
    }
    if (consumed == offset) {
      if (length == READ_BYTES) {
        System.err.println("lockstep: " + file + " has a line longer than " + READ_BYTES + " bytes at offset "
            + offset + "; tailing cannot go past it");
      }
      return;
    }
    if (!rejected.isEmpty()) {
      stream.quarantine(rejected);
    }
    stream.judged(events.size() + rejected.size(), rejected.size(), "tail " + file);
    if (!events.isEmpty()) {
      List<Position> positions = stream.acceptTailed(events, origins);
      long next = positions.get(positions.size() - 1).offset() + 1;
      store.writeWithCheckpoint(Map.of(), checkpoint, Checkpoints.encode(next, consumed));
      stream.truncationFloor(checkpoint, next);
    } else {
      long end = log.endPositions(stream.source().name()).get(0).offset();
      store.writeWithCheckpoint(Map.of(), checkpoint, Checkpoints.encode(end, consumed));
      stream.truncationFloor(checkpoint, end);
    }
    offset = consumed;
  }

  /** Stops after the batch in progress. */
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
  }
}
