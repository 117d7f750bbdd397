package dev.lockstep.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits bytes into lines at LF, dropping a CR before it, without decoding them. A line is a
 * byte range of {@link #buffer()}, valid until the next call to {@link #next()}.
 */
final class ByteLines {
  private final InputStream in;
  private byte[] buffer = new byte[1 << 20];
  private int limit;
  private int next;
  private boolean endOfInput;
  private int start;
  private int end;

  ByteLines(InputStream in) {
    this.in = in;
  }

  /** Moves to the next line; false at the end of the input. */
  boolean next() throws IOException {
    while (true) {
      int p = next;
      byte[] b = buffer;
      int stop = limit;
      while (p < stop && b[p] != '\n') {
        p++;
      }
      if (p < stop || (endOfInput && next < stop)) {
        start = next;
        end = p > start && b[p - 1] == '\r' ? p - 1 : p;
        next = p < stop ? p + 1 : p;
        return true;
      }
      if (endOfInput) {
        return false;
      }
      if (next > 0) {
        System.arraycopy(buffer, next, buffer, 0, limit - next);
        limit -= next;
        next = 0;
      } else if (limit == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        endOfInput = true;
      } else {
        limit += read;
      }
    }
  }

  byte[] buffer() {
    return buffer;
  }

  int start() {
    return start;
  }

  int length() {
    return end - start;
  }
}
