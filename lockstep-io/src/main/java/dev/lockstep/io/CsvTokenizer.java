package dev.lockstep.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits RFC 4180 CSV bytes into records and fields without decoding them: fields are byte ranges
 * of one buffer, decoded only when asked for.
 *
 * <p>Algorithm: records are scanned in a buffer; when a record runs past the bytes read so far,
 * the partial record is moved to the start of the buffer (which doubles if the record fills it),
 * more bytes are read and the record is scanned again from its start. Scanning bytes is safe for
 * UTF-8 because the delimiters are ASCII and never occur inside a multi-byte sequence.
 *
 * <p>Rules: records end with LF, CRLF or a lone CR; the last may lack one. A field starting with
 * {@code "} is quoted: it may hold commas and line breaks, and {@code ""} stands for one quote. A
 * quote inside an unquoted field is taken literally. Text after a closing quote, and a quoted
 * field still open at the end of the file, make the record {@link #malformed() malformed}; the
 * scan resumes after the next line break. Empty lines are skipped. A UTF-8 byte order mark at the
 * start is skipped.
 */
final class CsvTokenizer {
  private final InputStream in;
  private final CharsetDecoder strictUtf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] buffer = new byte[1 << 20];
  private int limit;
  private boolean endOfInput;
  private boolean started;

  private int recordStart;
  private int recordEnd;
  private int next;
  private int fieldCount;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private boolean[] escaped = new boolean[16];
  private String malformation;
  private int malformedField;

  CsvTokenizer(InputStream in) {
    this.in = in;
  }

  /** Moves to the next non-empty record; false at the end of the input. */
  boolean next() throws IOException {
    if (!started) {
      started = true;
      fill();
      if (limit >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB
          && buffer[2] == (byte) 0xBF) {
        next = 3;
      }
    }
    while (true) {
      int status = scan(next);
      if (status == SCANNED) {
        return true;
      }
      if (status == END) {
        return false;
      }
      // NEED_MORE: keep the partial record, read more, scan it again from its start.
      if (next > 0) {
        System.arraycopy(buffer, next, buffer, 0, limit - next);
        limit -= next;
        next = 0;
      } else if (limit == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      fill();
    }
  }

  private static final int SCANNED = 0;
  private static final int NEED_MORE = 1;
  private static final int END = 2;

  private int scan(int from) {
    byte[] b = buffer;
    int p = from;
    // Skip empty lines.
    while (p < limit && (b[p] == '\n' || b[p] == '\r')) {
      p++;
    }
    next = p;
    if (p == limit) {
      return endOfInput ? END : NEED_MORE;
    }
    recordStart = p;
    fieldCount = 0;
    malformation = null;
    while (true) {
      int field = fieldCount;
      if (field == starts.length) {
        grow();
      }
      escaped[field] = false;
      if (p < limit && b[p] == '"') {
        int start = ++p;
        while (true) {
          while (p < limit && b[p] != '"') {
            p++;
          }
          if (p + 1 >= limit && !endOfInput) {
            return NEED_MORE;
          }
          if (p == limit) {
            malformation = "its quoted value is not closed";
            malformedField = field;
            starts[field] = start;
            ends[field] = p;
            fieldCount = field + 1;
            recordEnd = p;
            next = p;
            return SCANNED;
          }
          if (p + 1 < limit && b[p + 1] == '"') {
            escaped[field] = true;
            p += 2;
          } else {
            break;
          }
        }
        starts[field] = start;
        ends[field] = p;
        fieldCount = field + 1;
        p++;
        if (p < limit && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
          malformation = "it has text after the closing quote";
          malformedField = field;
          while (p < limit && b[p] != '\n' && b[p] != '\r') {
            p++;
          }
          if (p == limit && !endOfInput) {
            return NEED_MORE;
          }
          recordEnd = p;
          next = p;
          return SCANNED;
        }
      } else {
        int start = p;
        while (p < limit) {
          byte c = b[p];
          if (c == ',' || c == '\n' || c == '\r') {
            break;
          }
          p++;
        }
        starts[field] = start;
        ends[field] = p;
        fieldCount = field + 1;
      }
      if (p == limit) {
        if (!endOfInput) {
          return NEED_MORE;
        }
        recordEnd = p;
        next = p;
        return SCANNED;
      }
      byte c = b[p];
      if (c == ',') {
        p++;
        continue;
      }
      recordEnd = p;
      if (c == '\r') {
        if (p + 1 == limit && !endOfInput) {
          return NEED_MORE;
        }
        if (p + 1 < limit && b[p + 1] == '\n') {
          p++;
        }
      }
      next = p + 1;
      return SCANNED;
    }
  }

  private void fill() throws IOException {
    while (limit < buffer.length) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        endOfInput = true;
        return;
      }
      limit += read;
      if (read > 0) {
        return;
      }
    }
  }

  private void grow() {
    int size = starts.length * 2;
    starts = Arrays.copyOf(starts, size);
    ends = Arrays.copyOf(ends, size);
    escaped = Arrays.copyOf(escaped, size);
  }

  int fieldCount() {
    return fieldCount;
  }

  /** Why the record is malformed, or null; see {@link #malformedField()}. */
  String malformed() {
    return malformation;
  }

  /** The field at which a malformed record went wrong. */
  int malformedField() {
    return malformedField;
  }

  /** The buffer holding the current record's fields; valid until the next call to {@link #next()}. */
  byte[] buffer() {
    return buffer;
  }

  /** Where field {@code i}'s content starts in {@link #buffer()} (after an opening quote). */
  int start(int i) {
    return starts[i];
  }

  /** The length of field {@code i}'s content (without quotes; {@code ""} counted as two bytes). */
  int length(int i) {
    return ends[i] - starts[i];
  }

  /** Whether field {@code i} contains doubled quotes, so that its bytes are not its value. */
  boolean escaped(int i) {
    return escaped[i];
  }

  /** Whether field {@code i} is empty, quoted or not. */
  boolean empty(int i) {
    return ends[i] == starts[i];
  }

  /**
   * Field {@code i} as text, quotes undoubled.
   *
   * @throws CharacterCodingException if its bytes are not UTF-8
   */
  String text(int i) throws CharacterCodingException {
    int start = starts[i];
    int end = ends[i];
    byte[] b = buffer;
    boolean ascii = true;
    for (int p = start; p < end; p++) {
      if (b[p] < 0) {
        ascii = false;
        break;
      }
    }
    if (escaped[i]) {
      byte[] copy = new byte[end - start];
      int length = 0;
      for (int p = start; p < end; p++) {
        copy[length++] = b[p];
        if (b[p] == '"') {
          p++;
        }
      }
      return decode(copy, 0, length, ascii);
    }
    return decode(b, start, end - start, ascii);
  }

  /** Field {@code i} as text, invalid UTF-8 replaced; for messages. */
  String lenientText(int i) {
    try {
      return text(i);
    } catch (CharacterCodingException e) {
      return new String(buffer, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
    }
  }

  /** The record as it is in the file, without its line break; invalid UTF-8 replaced. */
  String raw() {
    return new String(buffer, recordStart, recordEnd - recordStart, StandardCharsets.UTF_8);
  }

  private String decode(byte[] bytes, int offset, int length, boolean ascii)
      throws CharacterCodingException {
    if (ascii) {
      return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
    return strictUtf8.decode(ByteBuffer.wrap(bytes, offset, length)).toString();
  }
}
