package dev.lockstep.core.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends primitive values to a spill file through one heap buffer: no per-call locking, unlike a
 * buffered {@code DataOutputStream}. Not thread-safe; one writer per thread and file.
 */
final class SpillWriter implements AutoCloseable {
  private static final int BUFFER_BYTES = 1 << 18; // many files are open at once

  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private long records;

  SpillWriter(Path path) {
    this.path = path;
    try {
      channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create spill file " + path, e);
    }
  }

  Path path() {
    return path;
  }

  /** Counts one record; the count is only for sizing readers. */
  void endRecord() {
    records++;
  }

  long records() {
    return records;
  }

  void putByte(int value) {
    ensure(1);
    buffer.put((byte) value);
  }

  void putInt(int value) {
    ensure(4);
    buffer.putInt(value);
  }

  void putLong(long value) {
    ensure(8);
    buffer.putLong(value);
  }

  void putDouble(double value) {
    ensure(8);
    buffer.putLong(Double.doubleToRawLongBits(value));
  }

  void putString(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    putInt(bytes.length);
    putBytes(bytes);
  }

  /** Writes {@code bytes} as they are (no length; write it first if the reader needs it). */
  void putBytes(byte[] bytes) {
    if (bytes.length > buffer.capacity()) {
      flush();
      write(ByteBuffer.wrap(bytes));
      return;
    }
    ensure(bytes.length);
    buffer.put(bytes);
  }

  void putValue(Object value) {
    SpillValues.write(this, value);
  }

  private void ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  private void flush() {
    buffer.flip();
    write(buffer);
    buffer.clear();
  }

  private void write(ByteBuffer bytes) {
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write spill file " + path + " (is the disk full?)", e);
    }
  }

  @Override
  public void close() {
    flush();
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close spill file " + path, e);
    }
  }
}
