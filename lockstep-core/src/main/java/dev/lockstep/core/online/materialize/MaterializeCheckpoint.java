package dev.lockstep.core.online.materialize;

import java.nio.ByteBuffer;

/**
 * The checkpoint {@code materialize:<source>} that makes {@code lockstep materialize} resumable:
 * which offline snapshot it reads, into how many hash chunks of entities it splits them, how many
 * chunks are written, and a hash of everything else that decides the states' bytes (the views'
 * layouts and event-time bounds). Written atomically with the states of each chunk.
 *
 * <pre>
 *   byte  version (1)
 *   long  snapshot id (Long.MIN_VALUE: the table had no snapshot)
 *   int   chunks
 *   int   chunks written (-1: the views are being cleared)
 *   long  parameters hash
 * </pre>
 */
public record MaterializeCheckpoint(long snapshotId, int chunks, int done, long parameters) {
  private static final byte VERSION = 1;
  private static final int SIZE = 1 + 8 + 4 + 4 + 8;

  public static String key(String source) {
    return "materialize:" + source;
  }

  public MaterializeCheckpoint withDone(int chunksDone) {
    return new MaterializeCheckpoint(snapshotId, chunks, chunksDone, parameters);
  }

  /** Whether a run with {@code target}'s snapshot, chunks and parameters can continue this one. */
  public boolean continues(MaterializeCheckpoint target) {
    return snapshotId == target.snapshotId && chunks == target.chunks && parameters == target.parameters
        && done >= 0 && done < chunks;
  }

  public byte[] encode() {
    return ByteBuffer.allocate(SIZE).put(VERSION).putLong(snapshotId).putInt(chunks).putInt(done)
        .putLong(parameters).array();
  }

  /**
   * The checkpoint in {@code bytes}, or null for absent bytes and for bytes of another version:
   * starting over is always safe, so a checkpoint that cannot be read only costs the work it saved.
   */
  public static MaterializeCheckpoint decode(byte[] bytes) {
    if (bytes == null || bytes.length != SIZE || bytes[0] != VERSION) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, SIZE - 1);
    return new MaterializeCheckpoint(in.getLong(), in.getInt(), in.getInt(), in.getLong());
  }
}
