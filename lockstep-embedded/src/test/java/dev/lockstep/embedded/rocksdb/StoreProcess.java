package dev.lockstep.embedded.rocksdb;

import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The other process of {@link RocksDbOnlineStoreTest}. {@code hold DIR}: opens the store, prints
 * {@code open}, and keeps it open until standard input closes. {@code write DIR N}: opens the
 * store, prints {@code open}, then forever writes batches numbered on from the checkpoint of
 * consumer {@value #CONSUMER}, each setting keys {@code 0..N-1} of views {@code a} and {@code b} to
 * the batch number and the checkpoint to it, and prints {@code ack <batch> end} once each {@code
 * writeWithCheckpoint} has returned.
 */
final class StoreProcess {
  static final String CONSUMER = "crash-writer";
  static final List<String> VIEWS = List.of("a", "b");

  public static void main(String[] args) throws IOException {
    try (RocksDbOnlineStore store = RocksDbOnlineStore.open(Path.of(args[1]), 8 << 20)) {
      System.out.println("open");
      if (args[0].equals("hold")) {
        while (System.in.read() >= 0) {
          // Wait for the parent to close our standard input.
        }
        return;
      }
      int count = Integer.parseInt(args[2]);
      long batch = store.checkpoint(CONSUMER).map(StoreProcess::longOf).orElse(0L);
      while (true) {
        batch++;
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          entries.add(new Entry(key(i), longValue(batch)));
        }
        store.writeWithCheckpoint(
            Map.of(VIEWS.get(0), entries, VIEWS.get(1), entries), CONSUMER, longValue(batch));
        System.out.println("ack " + batch + " end");
      }
    }
  }

  static EntityKey key(int i) {
    return EntityKey.of("entity-" + i);
  }

  static byte[] longValue(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  static long longOf(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
