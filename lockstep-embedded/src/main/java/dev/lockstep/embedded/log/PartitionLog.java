package dev.lockstep.embedded.log;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

/**
 * One partition of a stream: a directory of segment files, the durable end readers stop at, the
 * start offset truncation moved, and the group commit that appends to it.
 *
 * <p><b>Group commit.</b> An append queues one {@link AppendRequest} per partition. When the
 * partition has no leader, the request is promoted and its caller becomes the leader: it takes
 * every queued request, writes their frames with a few large writes, forces the file once,
 * publishes the new durable end and completes them all; then it promotes the oldest request that
 * queued meanwhile, whose caller leads the next group. While a force runs, new appends queue up,
 * so the number of forces follows the disk's speed, not the number of callers.
 *
 * <p><b>Locks.</b> A group write and every read hold the read lock; truncation and closing hold
 * the write lock, so they never close a file under a reader or writer. The queue has its own
 * monitor, held only to add, drain or promote. Only the leader touches {@link #nextOffset}, the
 * write buffer and the active segment's tail.
 */
final class PartitionLog {
  private static final int WRITE_BUFFER_BYTES = 256 << 10;

  private final String stream;
  private final int partition;
  private final Path directory;
  private final long segmentBytes;
  private final boolean fsync;
  private final AtomicLong forces;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Sorted by base offset, never empty; replaced, never changed in place. */
  private volatile List<Segment> segments;
  private volatile long start;
  /** The offset after the last durable record: readers stop here. */
  private volatile long end;
  /** Guarded by {@link #lock}. */
  private boolean closed;
  private boolean deleted;
  /** The write that failed; the files' tail is unknown until recovery, so appends are refused. */
  private volatile Throwable failure;

  private final ArrayDeque<AppendRequest> queue = new ArrayDeque<>();
  /** Guarded by {@link #queue}: whether a request was promoted and its group is not done. */
  private boolean leading;

  // Leader-only state.
  private long nextOffset;
  private ByteBuffer buffer;
  private final CRC32C crc = new CRC32C();

  private PartitionLog(String stream, int partition, Path directory, long segmentBytes,
      boolean fsync, AtomicLong forces) {
    this.stream = stream;
    this.partition = partition;
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.fsync = fsync;
    this.forces = forces;
  }

  /**
   * Opens the partition in {@code directory}: reads its start offset, opens every segment and
   * recovers the last one, cutting off a torn tail.
   *
   * @throws CorruptDataException if files are missing or damaged beyond a torn tail
   */
  static PartitionLog open(String stream, int partition, Path directory, long segmentBytes,
      boolean fsync, AtomicLong forces) throws IOException {
    PartitionLog log = new PartitionLog(stream, partition, directory, segmentBytes, fsync, forces);
    log.recover();
    return log;
  }

  private void recover() throws IOException {
    long startOffset = PartitionFiles.readStart(directory, toString());
    List<Long> bases = PartitionFiles.segmentBases(directory);
    if (bases.isEmpty()) {
      throw new CorruptDataException("Cannot open " + this + ": " + directory
          + " holds no segment file (restore the partition from a backup, or delete the stream)");
    }
    // Segments wholly below the start are what an interrupted truncation left behind.
    while (bases.size() > 1 && bases.get(1) <= startOffset) {
      Files.deleteIfExists(directory.resolve(Segment.fileName(bases.remove(0))));
    }
    if (bases.get(0) > startOffset) {
      throw new CorruptDataException("Cannot open " + this + ": its first segment starts at offset "
          + bases.get(0) + " but its start offset is " + startOffset
          + " (segment files are missing; restore them from a backup)");
    }
    List<Segment> opened = new ArrayList<>();
    try {
      for (int i = 0; i < bases.size() - 1; i++) {
        opened.add(Segment.open(segmentFile(bases.get(i)), bases.get(i), false));
      }
      long base = bases.get(bases.size() - 1);
      PartitionFiles.repairUnwrittenHeader(segmentFile(base), base);
      Segment last = Segment.open(segmentFile(base), base, true);
      opened.add(last);
      end = last.scan(true);
      if (fsync) {
        last.force();
      }
    } catch (IOException | RuntimeException e) {
      for (Segment segment : opened) {
        segment.close();
      }
      throw e;
    }
    segments = List.copyOf(opened);
    start = startOffset;
    nextOffset = end;
    if (start > end) {
      close(false);
      throw new CorruptDataException("Cannot open " + this + ": its start offset " + start
          + " is after its last record (offset " + (end - 1) + "; restore the partition from a"
          + " backup)");
    }
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  int partition() {
    return partition;
  }

  /** Queues {@code request}; promotes it if no group is being committed. */
  void enqueue(AppendRequest request) {
    synchronized (queue) {
      queue.add(request);
      if (!leading) {
        leading = true;
        request.promote();
      }
    }
  }

  /** Commits every queued request as one group, then hands leadership to a queued caller. */
  void lead() {
    List<AppendRequest> group;
    synchronized (queue) {
      group = new ArrayList<>(queue);
      queue.clear();
    }
    try {
      commit(group);
    } finally {
      synchronized (queue) {
        AppendRequest next = queue.peekFirst();
        if (next == null) {
          leading = false;
        } else {
          next.promote();
        }
      }
    }
  }

  private void commit(List<AppendRequest> group) {
    lock.readLock().lock();
    try {
      RuntimeException refusal = refusal("append to");
      if (refusal != null) {
        group.forEach(request -> request.fail(refusal, false));
        return;
      }
      long first = nextOffset;
      try {
        write(group);
      } catch (Throwable e) {
        // Even an Error must complete the group: its callers wait for nothing else.
        failure = e;
        BackendException error = new BackendException("Cannot append to " + this + ": " + e
            + " (reopen the event log to recover the partition)", e);
        group.forEach(request -> request.fail(error, true));
        return;
      }
      segments.get(segments.size() - 1).publish();
      end = nextOffset;
      long offset = first;
      for (AppendRequest request : group) {
        request.complete(offset);
        offset += request.records().size();
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Writes the group's frames, rolling segments as they fill, and forces the file once. */
  private void write(List<AppendRequest> group) throws IOException {
    if (buffer == null) {
      buffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
    }
    buffer.clear();
    Segment active = segments.get(segments.size() - 1);
    for (AppendRequest request : group) {
      for (LogRecord record : request.records()) {
        long frame = Frames.frameBytes(record);
        long used = active.writtenSize() + buffer.position();
        if (used + frame > segmentBytes && used > Frames.HEADER_BYTES) {
          flush(active);
          force(active);
          active.publish();
          active = roll(nextOffset);
        }
        if (frame > buffer.remaining()) {
          flush(active);
        }
        active.addIndexEntry(nextOffset, active.writtenSize() + buffer.position());
        if (frame > buffer.capacity()) {
          ByteBuffer large = ByteBuffer.allocate((int) frame);
          Frames.encode(large, nextOffset, record, crc);
          active.write(large.flip());
        } else {
          Frames.encode(buffer, nextOffset, record, crc);
        }
        nextOffset++;
      }
    }
    flush(active);
    force(active);
  }

  private void flush(Segment segment) throws IOException {
    segment.write(buffer.flip());
    buffer.clear();
  }

  private void force(Segment segment) throws IOException {
    if (fsync) {
      segment.force();
      forces.incrementAndGet();
    }
  }

  /**
   * Starts a new segment at {@code base}. The previous one is forced first, so every sealed
   * segment is whole and recovery only ever looks at the last.
   */
  private Segment roll(long base) throws IOException {
    Segment next = Segment.create(directory, base, fsync);
    if (fsync) {
      DurableFiles.syncDirectory(directory);
    }
    List<Segment> rolled = new ArrayList<>(segments);
    rolled.add(next);
    segments = List.copyOf(rolled);
    return next;
  }

  /**
   * Up to {@code max} durable records from offset {@code from} on.
   *
   * @throws NotFoundException if {@code from} is below the start
   * @throws CorruptDataException if a segment on the way is damaged
   */
  List<LogEntry> read(long from, int max) {
    lock.readLock().lock();
    try {
      RuntimeException refusal = refusal("read");
      if (refusal != null) {
        throw refusal;
      }
      long first = start;
      if (from < first) {
        throw new NotFoundException("Cannot read " + this + " from offset " + from
            + ": records before offset " + first + " were truncated (read from the start"
            + " positions)");
      }
      long last = end;
      if (from >= last) {
        return List.of();
      }
      List<Segment> current = segments;
      List<LogEntry> entries = new ArrayList<>((int) Math.min(max, Math.min(last - from, 1024)));
      long offset = from;
      for (int i = segmentIndex(current, from);
          i < current.size() && entries.size() < max && offset < last;
          i++) {
        Segment segment = current.get(i);
        if (i < current.size() - 1) {
          segment.ensureIndexed(current.get(i + 1).baseOffset());
        }
        offset = segment.read(partition, offset, last, max, entries);
      }
      return entries;
    } catch (IOException e) {
      throw new BackendException("Cannot read " + this + " from offset " + from + ": " + e
          + " (check the disk)", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Makes offsets below {@code before} unreadable: records the new start durably, then deletes the
   * segments wholly below it. A segment that cannot be deleted now is deleted on a later truncation
   * or open.
   */
  void truncate(long before) {
    lock.writeLock().lock();
    try {
      RuntimeException refusal = refusal("truncate");
      if (refusal != null) {
        throw refusal;
      }
      if (before > end) {
        throw new IllegalArgumentException("Cannot truncate " + this + " before offset " + before
            + ": the partition ends at offset " + end + " (truncate at or before the end"
            + " position)");
      }
      if (before <= start) {
        return;
      }
      try {
        PartitionFiles.writeStart(directory, before, fsync);
      } catch (IOException e) {
        throw new BackendException("Cannot truncate " + this + " before offset " + before + ": "
            + e + " (check the disk; retrying is safe)", e);
      }
      start = before;
      deleteSegmentsBelow(before);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void deleteSegmentsBelow(long offset) {
    List<Segment> current = segments;
    int deleted = 0;
    try {
      while (deleted < current.size() - 1 && current.get(deleted + 1).baseOffset() <= offset) {
        Segment segment = current.get(deleted);
        segment.close();
        Files.deleteIfExists(segment.file());
        deleted++;
      }
      if (deleted > 0 && fsync) {
        DurableFiles.syncDirectory(directory);
      }
    } catch (IOException e) {
      LocalEventLog.LOGGER.log(System.Logger.Level.WARNING, "Could not delete a truncated segment"
          + " of " + this + " (it is retried later): " + e);
    }
    segments = List.copyOf(current.subList(deleted, current.size()));
  }

  /**
   * Closes the files; later calls fail, {@code deleted} saying the stream was deleted. Waits for a
   * group write or read in progress.
   */
  void close(boolean deleted) throws IOException {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      this.deleted = deleted;
      IOException first = null;
      for (Segment segment : segments) {
        try {
          segment.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Why {@code operation} cannot run now, or null. Call with a lock held. */
  private RuntimeException refusal(String operation) {
    if (deleted) {
      return new NotFoundException("Cannot " + operation + " stream '" + stream
          + "': it was deleted (create it again)");
    }
    if (closed) {
      return new IllegalStateException("Cannot " + operation + " " + this
          + ": the event log is closed (open it again)");
    }
    if (failure != null && operation.equals("append to")) {
      return new BackendException("Cannot append to " + this + ": an earlier write failed ("
          + failure + "), so the end of its files is unknown (reopen the event log to recover)");
    }
    return null;
  }

  private Path segmentFile(long base) {
    return directory.resolve(Segment.fileName(base));
  }

  /** The index of the segment holding {@code offset}: the last whose base is at most it. */
  private static int segmentIndex(List<Segment> segments, long offset) {
    int low = 0;
    int high = segments.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (segments.get(middle).baseOffset() <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  /** {@code stream 'payments' partition 3}, for messages. */
  @Override
  public String toString() {
    return "stream '" + stream + "' partition " + partition;
  }
}
