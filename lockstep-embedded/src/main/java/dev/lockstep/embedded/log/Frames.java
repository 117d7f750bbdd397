package dev.lockstep.embedded.log;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.eventlog.LogRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file (all integers big-endian; see docs/event-log.md):
 *
 * <pre>
 * header: [u16 name length = 12]["lockstep.log"][i32 version = 1][i64 base offset]
 *         [i32 CRC32C of the 26 bytes before]
 * frame:  [i32 body length][i32 CRC32C of the body]
 *         body: [i64 offset][i64 timestamp millis][i32 key length][key bytes][value bytes]
 * </pre>
 *
 * The value length is the body length minus 20 minus the key length. A frame is valid when its
 * length is possible, it lies wholly inside the file, its CRC matches and its offset is the one
 * after the previous frame's.
 */
final class Frames {
  static final String FORMAT = "lockstep.log";
  static final int VERSION = 1;
  private static final byte[] FORMAT_BYTES = FORMAT.getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_BYTES = 2 + FORMAT_BYTES.length + 4 + 8 + 4;
  /** Length and CRC, before the body. */
  static final int PREFIX_BYTES = 8;
  /** Offset, timestamp and key length: the fixed part of a body. */
  static final int BODY_FIXED_BYTES = 20;
  static final int OVERHEAD_BYTES = PREFIX_BYTES + BODY_FIXED_BYTES;
  /** The most key and value bytes one record may hold together. */
  static final int MAX_RECORD_BYTES = 1 << 30;

  private Frames() {}

  /** The header of a segment whose first record has offset {@code baseOffset}, ready to write. */
  static ByteBuffer header(long baseOffset) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putShort((short) FORMAT_BYTES.length).put(FORMAT_BYTES);
    header.putInt(VERSION).putLong(baseOffset);
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, header.position());
    return header.putInt((int) crc.getValue()).flip();
  }

  /**
   * Checks a segment header read from {@code file}.
   *
   * @throws CorruptDataException if it is not a header of this format and version for {@code
   *     baseOffset}
   */
  static void checkHeader(ByteBuffer header, Path file, long baseOffset) {
    if (header.remaining() < HEADER_BYTES) {
      throw corrupt(file, "it is shorter than a segment header");
    }
    int start = header.position();
    byte[] name = new byte[FORMAT_BYTES.length];
    short nameLength = header.getShort();
    header.get(name);
    if (nameLength != FORMAT_BYTES.length
        || !FORMAT.equals(new String(name, StandardCharsets.US_ASCII))) {
      throw corrupt(file, "it is not a " + FORMAT + " segment");
    }
    int version = header.getInt();
    long base = header.getLong();
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().position(start).limit(start + HEADER_BYTES - 4));
    if (header.getInt() != (int) crc.getValue()) {
      throw corrupt(file, "its header checksum does not match");
    }
    if (version != VERSION) {
      throw corrupt(file, "its format version " + version + " is not " + VERSION
          + ", the one this Lockstep reads (upgrade Lockstep)");
    }
    if (base != baseOffset) {
      throw corrupt(file, "its header names base offset " + base + ", not the " + baseOffset
          + " of its file name");
    }
  }

  /** The bytes {@code record} takes in a segment. */
  static long frameBytes(LogRecord record) {
    return (long) OVERHEAD_BYTES + record.key().length + record.value().length;
  }

  /** Writes the frame of {@code record} at {@code offset} into {@code out}, which has room. */
  static void encode(ByteBuffer out, long offset, LogRecord record, CRC32C crc) {
    int start = out.position();
    int bodyLength = BODY_FIXED_BYTES + record.key().length + record.value().length;
    out.putInt(bodyLength).putInt(0);
    out.putLong(offset).putLong(record.timestampMillis()).putInt(record.key().length);
    out.put(record.key()).put(record.value());
    crc.reset();
    crc.update(out.duplicate().position(start + PREFIX_BYTES).limit(out.position()));
    out.putInt(start + 4, (int) crc.getValue());
  }

  private static CorruptDataException corrupt(Path file, String reason) {
    return new CorruptDataException("Cannot read event log segment " + file + ": " + reason
        + (reason.endsWith(")") ? "" : " (restore the file from a backup)"));
  }
}
