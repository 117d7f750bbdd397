package dev.lockstep.core.training;

import dev.lockstep.api.CorruptDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads back what a {@link SpillWriter} wrote, in order. Not thread-safe. */
final class SpillReader implements AutoCloseable {
  private static final int BUFFER_BYTES = 1 << 18; // many files are open at once

  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private boolean endOfFile;

  SpillReader(Path path) {
    this.path = path;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open spill file " + path, e);
    }
    buffer.limit(0);
  }

  /** Whether every byte has been read. */
  boolean atEnd() {
    if (buffer.hasRemaining()) {
      return false;
    }
    fill(1, true);
    return !buffer.hasRemaining();
  }

  int getByte() {
    need(1);
    return buffer.get();
  }

  int getInt() {
    need(4);
    return buffer.getInt();
  }

  long getLong() {
    need(8);
    return buffer.getLong();
  }

  double getDouble() {
    need(8);
    return Double.longBitsToDouble(buffer.getLong());
  }

  String getString() {
    int length = getInt();
    if (length <= buffer.capacity()) {
      need(length);
      String value =
          new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
      buffer.position(buffer.position() + length);
      return value;
    }
    byte[] bytes = new byte[length];
    int copied = 0;
    while (copied < length) {
      need(1);
      int chunk = Math.min(buffer.remaining(), length - copied);
      buffer.get(bytes, copied, chunk);
      copied += chunk;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Reads {@code length} bytes into {@code into}, which must hold them. */
  void getBytes(byte[] into, int length) {
    int copied = 0;
    while (copied < length) {
      need(1);
      int chunk = Math.min(buffer.remaining(), length - copied);
      buffer.get(into, copied, chunk);
      copied += chunk;
    }
  }

  Object getValue() {
    return SpillValues.read(this);
  }

  private void need(int bytes) {
    if (buffer.remaining() < bytes) {
      fill(bytes, false);
    }
  }

  private void fill(int bytes, boolean endAllowed) {
    buffer.compact();
    try {
      while (buffer.position() < bytes && !endOfFile) {
        if (channel.read(buffer) < 0) {
          endOfFile = true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read spill file " + path, e);
    }
    buffer.flip();
    if (buffer.remaining() < bytes && !endAllowed) {
      throw new CorruptDataException("Cannot read spill file " + path + ": it ends early");
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close spill file " + path, e);
    }
  }
}
