package dev.lockstep.embedded.log;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.Position;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * One segment file of a partition: the records from {@link #baseOffset()} on, framed as {@link
 * Frames} describes, with a sparse in-memory index from offsets to file positions (an entry about
 * every {@value #INDEX_INTERVAL_BYTES} bytes) so a read seeks near its first record instead of
 * scanning from the header.
 *
 * <p>The active (last) segment is indexed as it is recovered and written. A sealed segment found
 * on open is indexed on its first read, by one scan that also checks every frame, so opening a log
 * costs one scan of each partition's last segment, not of the whole log.
 *
 * <p>Only the partition's current writer calls {@link #write} and {@link #addIndexEntry}; readers
 * read at most {@link #durableSize()} bytes, which only grows after a force.
 */
final class Segment {
  static final int INDEX_INTERVAL_BYTES = 16 << 10;

  private final Path file;
  private final long baseOffset;
  private final boolean writable;
  /** Replaced when an interrupt of a thread using it closed it (see {@link #io}). */
  private volatile FileChannel channel;
  private volatile boolean closed;
  /** Bytes a reader may read: the header and whole, forced frames. */
  private volatile long durableSize;
  /** Bytes written; the writer's business. */
  private long writtenSize;
  private long lastIndexedPosition = -1;

  // The sparse index, guarded by this.
  private long[] indexOffsets = new long[16];
  private long[] indexPositions = new long[16];
  private int indexCount;
  private boolean indexed;

  private Segment(Path file, long baseOffset, boolean writable, FileChannel channel, long size,
      boolean indexed) {
    this.file = file;
    this.baseOffset = baseOffset;
    this.writable = writable;
    this.channel = channel;
    this.durableSize = size;
    this.writtenSize = size;
    this.indexed = indexed;
  }

  /** Creates the segment file of {@code baseOffset} in {@code directory}, holding its header. */
  static Segment create(Path directory, long baseOffset, boolean fsync) throws IOException {
    Path file = directory.resolve(fileName(baseOffset));
    Segment segment = new Segment(file, baseOffset, true, FileChannel.open(file,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
        0, true);
    try {
      segment.write(Frames.header(baseOffset));
      if (fsync) {
        segment.force();
      }
      segment.publish();
    } catch (IOException | RuntimeException e) {
      segment.close();
      throw e;
    }
    return segment;
  }

  /**
   * Opens an existing segment file and checks its header; a sealed one is indexed lazily.
   *
   * @throws CorruptDataException if its header is not of this format and version
   */
  static Segment open(Path file, long baseOffset, boolean writable) throws IOException {
    Segment segment = new Segment(file, baseOffset, writable, openChannel(file, writable), 0,
        false);
    try {
      ByteBuffer header = ByteBuffer.allocate(Frames.HEADER_BYTES);
      while (header.hasRemaining() && segment.read(header, header.position()) >= 0) {
        // Read until full or end of file.
      }
      Frames.checkHeader(header.flip(), file, baseOffset);
      segment.writtenSize = segment.size();
      segment.publish();
      return segment;
    } catch (IOException | RuntimeException e) {
      segment.close();
      throw e;
    }
  }

  private static FileChannel openChannel(Path file, boolean writable) throws IOException {
    return writable
        ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(file, StandardOpenOption.READ);
  }

  /** The file name of a segment: its base offset in 20 digits, {@code 00000000000000001024.log}. */
  static String fileName(long baseOffset) {
    return String.format("%020d.log", baseOffset);
  }

  Path file() {
    return file;
  }

  long baseOffset() {
    return baseOffset;
  }

  long durableSize() {
    return durableSize;
  }

  long writtenSize() {
    return writtenSize;
  }

  /** Writes {@code bytes} at the end of what was written. */
  void write(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      // Repeated after an interrupt, a positional write writes the same bytes at the same place.
      int start = bytes.position();
      writtenSize += io(channel -> channel.write(bytes.position(start), writtenSize));
    }
  }

  /** Forces what was written to the disk. */
  void force() throws IOException {
    io(channel -> {
      channel.force(true);
      return 0;
    });
  }

  /** Reads into {@code buffer} from {@code position}, as {@link FileChannel#read}. */
  int read(ByteBuffer buffer, long position) throws IOException {
    int start = buffer.position();
    return io(channel -> channel.read(buffer.position(start), position));
  }

  long size() throws IOException {
    return io(FileChannel::size);
  }

  /** Cuts the file after {@code size} bytes (a torn tail found by recovery). */
  void truncateTo(long size) throws IOException {
    io(channel -> channel.truncate(size));
    writtenSize = size;
    durableSize = size;
  }

  /** Everything written is forced (or was not asked to be): readers may read it. */
  void publish() {
    durableSize = writtenSize;
  }

  /** Notes the frame of {@code offset} at {@code position} if it is far from the last noted. */
  void addIndexEntry(long offset, long position) {
    if (lastIndexedPosition >= 0 && position - lastIndexedPosition < INDEX_INTERVAL_BYTES) {
      return;
    }
    lastIndexedPosition = position;
    synchronized (this) {
      if (indexCount == indexOffsets.length) {
        indexOffsets = Arrays.copyOf(indexOffsets, 2 * indexCount);
        indexPositions = Arrays.copyOf(indexPositions, 2 * indexCount);
      }
      indexOffsets[indexCount] = offset;
      indexPositions[indexCount] = position;
      indexCount++;
    }
  }

  /**
   * Adds to {@code out} the records from offset {@code from} up to (excluding) {@code end}, until
   * it holds {@code max} entries or the segment ends, and returns the offset after the last one
   * read.
   *
   * @throws CorruptDataException if a frame on the way is damaged or out of sequence
   */
  long read(int partition, long from, long end, int max, List<LogEntry> out) throws IOException {
    long startOffset;
    long startPosition;
    synchronized (this) {
      int entry = floorEntry(from);
      startOffset = entry < 0 ? baseOffset : indexOffsets[entry];
      startPosition = entry < 0 ? Frames.HEADER_BYTES : indexPositions[entry];
    }
    FrameCursor cursor = new FrameCursor(this, startPosition, durableSize);
    long expected = startOffset;
    while (out.size() < max && expected < end) {
      FrameCursor.Status status = cursor.next(expected >= from);
      if (status == FrameCursor.Status.END) {
        break;
      }
      checkFrame(cursor, status, expected);
      if (expected >= from) {
        out.add(new LogEntry(new Position(partition, expected), cursor.record()));
      }
      expected++;
    }
    return Math.max(expected, from);
  }

  /**
   * Indexes a sealed segment on its first use, checking every frame and that it ends right before
   * {@code nextBaseOffset}.
   *
   * @throws CorruptDataException if a frame is damaged or out of sequence, or records are missing
   */
  synchronized void ensureIndexed(long nextBaseOffset) throws IOException {
    if (indexed) {
      return;
    }
    long end = scan(false);
    if (end != nextBaseOffset) {
      indexed = false;
      throw new CorruptDataException("Cannot read event log segment " + file + ": it ends before"
          + " offset " + end + " but the next segment starts at offset " + nextBaseOffset
          + " (records are missing; restore the file from a backup)");
    }
    indexed = true;
  }

  /**
   * Checks every frame from the header on, indexing them, and returns the offset after the last.
   * In the active segment ({@code recover}), the first invalid frame starts a torn tail that is cut
   * off, unless a valid frame with the following offset comes right after it: then it is damage
   * in the middle, like anywhere in a sealed segment, and reported.
   *
   * @throws CorruptDataException for damage that is not a torn tail
   */
  synchronized long scan(boolean recover) throws IOException {
    indexCount = 0;
    lastIndexedPosition = -1;
    FrameCursor cursor = new FrameCursor(this, Frames.HEADER_BYTES, size());
    long expected = baseOffset;
    while (true) {
      FrameCursor.Status status = cursor.next(true);
      if (status == FrameCursor.Status.END) {
        indexed = true;
        return expected;
      }
      boolean valid = status == FrameCursor.Status.RECORD && cursor.offset() == expected;
      if (!valid && recover && !followedByNext(cursor, expected)) {
        long dropped = size() - cursor.frameStart();
        LocalEventLog.LOGGER.log(System.Logger.Level.WARNING, "Cut a torn tail of " + dropped
            + " bytes off " + file + " at position " + cursor.frameStart() + " (offset "
            + expected + "): " + problem(cursor, status, expected));
        truncateTo(cursor.frameStart());
        indexed = true;
        return expected;
      }
      checkFrame(cursor, status, expected);
      addIndexEntry(expected, cursor.frameStart());
      expected++;
    }
  }

  void close() throws IOException {
    closed = true;
    channel.close();
  }

  private interface Operation<T> {
    T run(FileChannel channel) throws IOException;
  }

  /**
   * Runs {@code operation} on the channel. A {@link FileChannel} is closed for every thread when
   * a thread using it is interrupted; since callers' threads do the I/O here (readers, and the
   * leader of a group commit), that would break the partition for all. So when the channel was
   * closed by an interrupt, not by {@link #close}, it is reopened and the operation repeated with
   * the interrupt put aside, then restored for the caller to see.
   */
  private <T> T io(Operation<T> operation) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        FileChannel current = channel;
        try {
          return operation.run(current);
        } catch (ClosedChannelException e) {
          if (closed) {
            throw e;
          }
          interrupted |= Thread.interrupted();
          reopen(current);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized void reopen(FileChannel broken) throws IOException {
    if (channel == broken && !closed) {
      channel = openChannel(file, writable);
    }
  }

  /** Whether a valid frame of offset {@code expected + 1} follows the current (bad) one. */
  private boolean followedByNext(FrameCursor cursor, long expected) throws IOException {
    if (cursor.frameEnd() < 0) {
      return false;
    }
    FrameCursor after = new FrameCursor(this, cursor.frameEnd(), size());
    return after.next(true) == FrameCursor.Status.RECORD && after.offset() == expected + 1;
  }

  private void checkFrame(FrameCursor cursor, FrameCursor.Status status, long expected) {
    if (status != FrameCursor.Status.RECORD || cursor.offset() != expected) {
      throw new CorruptDataException("Cannot read event log segment " + file + ": at position "
          + cursor.frameStart() + ", where offset " + expected + " should be, there is "
          + problem(cursor, status, expected) + " (restore the file from a backup, or truncate"
          + " the partition past the damage)");
    }
  }

  private static String problem(FrameCursor cursor, FrameCursor.Status status, long expected) {
    return status == FrameCursor.Status.INVALID ? cursor.problem()
        : "a frame of offset " + cursor.offset() + " instead of " + expected;
  }

  /** The index entry with the greatest offset at most {@code offset}, or -1. */
  private int floorEntry(long offset) {
    int low = 0;
    int high = indexCount - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (indexOffsets[middle] <= offset) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return high;
  }
}
