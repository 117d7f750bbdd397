package dev.lockstep.embedded.log;

import dev.lockstep.spi.eventlog.LogRecord;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the frames of a segment one after another, from a file position up to a limit, through a
 * buffer that is refilled with positional reads (so several cursors may read one segment at
 * once). Not thread-safe; one per read.
 */
final class FrameCursor {
  enum Status {
    /** A whole frame is current: {@link #offset()}, {@link #record()}... */
    RECORD,
    /** The limit was reached exactly at a frame boundary. */
    END,
    /** The bytes at {@link #frameStart()} are not a valid frame: see {@link #problem()}. */
    INVALID
  }

  private static final int MIN_BUFFER_BYTES = 16 << 10;
  private static final int MAX_BUFFER_BYTES = 256 << 10;

  private final Segment segment;
  private final long limit;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer;
  /** The file position of {@code buffer}'s byte 0; the buffer holds {@code [0, limit())}. */
  private long bufferStart;
  private long next;

  private long frameStart;
  private long frameEnd;
  private int bodyIndex;
  private int bodyLength;
  private String problem;

  FrameCursor(Segment segment, long position, long limit) {
    this.segment = segment;
    this.limit = limit;
    this.next = position;
    // Small reads stay small; long ones double the buffer on each refill, up to the maximum.
    int size = (int) Math.max(64, Math.min(MIN_BUFFER_BYTES, limit - position));
    this.buffer = ByteBuffer.allocate(size).limit(0);
    this.bufferStart = position;
  }

  /**
   * Moves to the next frame.
   *
   * @param verify whether to check the frame's CRC (skipped frames need not be)
   */
  Status next(boolean verify) throws IOException {
    frameStart = next;
    frameEnd = -1;
    if (next == limit) {
      return Status.END;
    }
    if (limit - next < Frames.PREFIX_BYTES + Frames.BODY_FIXED_BYTES) {
      return invalid("an incomplete frame");
    }
    int at = load(Frames.PREFIX_BYTES);
    int length = buffer.getInt(at);
    int checksum = buffer.getInt(at + 4);
    if (length < Frames.BODY_FIXED_BYTES
        || length > Frames.BODY_FIXED_BYTES + Frames.MAX_RECORD_BYTES) {
      return invalid("a frame of impossible length " + length);
    }
    if (length > limit - next - Frames.PREFIX_BYTES) {
      return invalid("a frame that runs past the end of the file");
    }
    at = load(Frames.PREFIX_BYTES + length);
    bodyIndex = at + Frames.PREFIX_BYTES;
    bodyLength = length;
    frameEnd = next + Frames.PREFIX_BYTES + length;
    if (verify) {
      crc.reset();
      crc.update(buffer.array(), bodyIndex, length);
      if ((int) crc.getValue() != checksum) {
        return invalid("a frame whose checksum does not match");
      }
    }
    int keyLength = buffer.getInt(bodyIndex + 16);
    if (keyLength < 0 || keyLength > length - Frames.BODY_FIXED_BYTES) {
      return invalid("a frame of impossible key length " + keyLength);
    }
    next = frameEnd;
    return Status.RECORD;
  }

  long offset() {
    return buffer.getLong(bodyIndex);
  }

  /** A copy of the current frame's record. */
  LogRecord record() {
    int keyLength = buffer.getInt(bodyIndex + 16);
    int keyStart = bodyIndex + Frames.BODY_FIXED_BYTES;
    byte[] bytes = buffer.array();
    return new LogRecord(
        Arrays.copyOfRange(bytes, keyStart, keyStart + keyLength),
        Arrays.copyOfRange(bytes, keyStart + keyLength, bodyIndex + bodyLength),
        buffer.getLong(bodyIndex + 8));
  }

  /** The file position of the current frame (or of the invalid bytes, or of the end). */
  long frameStart() {
    return frameStart;
  }

  /**
   * Where the current frame ends: for an invalid frame, only known when its length was possible
   * (a checksum or key length problem), else -1.
   */
  long frameEnd() {
    return frameEnd;
  }

  /** What is wrong with an invalid frame, e.g. "a frame whose checksum does not match". */
  String problem() {
    return problem;
  }

  private Status invalid(String reason) {
    problem = reason;
    return Status.INVALID;
  }

  /** Makes {@code [next, next + bytes)} readable in the buffer and returns its index there. */
  private int load(int bytes) throws IOException {
    long index = next - bufferStart;
    if (index >= 0 && index + bytes <= buffer.limit()) {
      return (int) index;
    }
    if (bytes > buffer.capacity() || buffer.capacity() < MAX_BUFFER_BYTES) {
      int doubled = Math.min(MAX_BUFFER_BYTES, 2 * buffer.capacity());
      buffer = ByteBuffer.allocate(Math.max(bytes, doubled));
    }
    int wanted = (int) Math.min(buffer.capacity(), limit - next);
    buffer.clear().limit(wanted);
    bufferStart = next;
    while (buffer.position() < bytes) {
      if (segment.read(buffer, bufferStart + buffer.position()) < 0) {
        throw new EOFException("segment ended at " + (bufferStart + buffer.position())
            + ", before its expected size " + limit);
      }
    }
    buffer.limit(buffer.position()).position(0);
    return 0;
  }
}
