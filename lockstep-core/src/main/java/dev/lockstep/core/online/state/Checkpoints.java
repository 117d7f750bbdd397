package dev.lockstep.core.online.state;

import java.nio.ByteBuffer;

/**
 * The checkpoints the online runtime keeps in the online store, written atomically with the state
 * they describe. Each is a few longs behind a version byte.
 *
 * <ul>
 *   <li>{@code online:<source>} — the log offset the applier resumes at and the source's watermark
 *       (every event ingested before it is applied; none after), and, when the applier wrote it,
 *       the newest event time applied (for freshness lag across restarts).
 *   <li>{@code offline:<source>} — the log offset the offline appender resumes at and the end of the
 *       batch it was committing (equal when none was in flight).
 * </ul>
 */
public final class Checkpoints {
  private static final byte VERSION = 1;
  /** Three longs: what the applier writes since the newest event time is kept. */
  private static final byte VERSION_3 = 2;

  private Checkpoints() {}

  public static String online(String source) {
    return "online:" + source;
  }

  public static String offline(String source) {
    return "offline:" + source;
  }

  public static byte[] encode(long first, long second) {
    return ByteBuffer.allocate(17).put(VERSION).putLong(first).putLong(second).array();
  }

  public static byte[] encode(long first, long second, long third) {
    return ByteBuffer.allocate(25).put(VERSION_3).putLong(first).putLong(second).putLong(third).array();
  }

  /** The two longs (three if written with three), or {@code null} for absent bytes. */
  public static long[] decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version == VERSION_3 && bytes.length == 25) {
      return new long[] {in.getLong(), in.getLong(), in.getLong()};
    }
    if (version != VERSION || bytes.length != 17) {
      throw new dev.lockstep.api.CorruptDataException(
          "Cannot read an online checkpoint: unknown version or size (rebuild with lockstep materialize)");
    }
    return new long[] {in.getLong(), in.getLong()};
  }
}
