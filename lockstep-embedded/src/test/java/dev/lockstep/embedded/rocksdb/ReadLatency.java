package dev.lockstep.embedded.rocksdb;

import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.online.Entry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A throwaway measurement, not a test: writes {@code keys} entities of 100-byte values to view
 * {@code counts}, then times single-key and three-key reads of existing keys on one thread, first
 * while the data is in the memtable, then after a reopen (table files, warm block cache). Run with
 * the module's test classpath: {@code java -cp ... dev.lockstep.embedded.rocksdb.ReadLatency [keys]
 * [reads]}.
 */
final class ReadLatency {
  /** Thread CPU time as well as wall time: the machines running this are often shared. */
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    int keyCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int reads = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path dir = Files.createTempDirectory("read-latency");
    EntityKey[] keys = new EntityKey[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = EntityKey.of("card-" + String.format("%08d", i));
    }
    try (RocksDbOnlineStore store = RocksDbOnlineStore.open(dir, 256L << 20)) {
      SplittableRandom random = new SplittableRandom(1);
      for (int first = 0; first < keyCount; first += 1000) {
        List<Entry> batch = new ArrayList<>();
        for (int i = first; i < Math.min(keyCount, first + 1000); i++) {
          byte[] value = new byte[100];
          random.nextBytes(value);
          batch.add(new Entry(keys[i], value));
        }
        store.write("counts", batch);
      }
      measure("memtable", store, keys, reads);
    }
    try (RocksDbOnlineStore store = RocksDbOnlineStore.open(dir, 256L << 20)) {
      measure("table files", store, keys, reads);
    }
  }

  private static void measure(String where, RocksDbOnlineStore store, EntityKey[] keys, int reads) {
    for (int round = 0; round < 3; round++) {
      SplittableRandom random = new SplittableRandom(round);
      long found = 0;
      long start = System.nanoTime();
      long startCpu = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < reads; i++) {
        found += store.read("counts", List.of(keys[random.nextInt(keys.length)])).get(0).length;
      }
      long single = System.nanoTime() - start;
      long singleCpu = THREADS.getCurrentThreadCpuTime() - startCpu;
      start = System.nanoTime();
      startCpu = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < reads / 3; i++) {
        List<EntityKey> three =
            List.of(
                keys[random.nextInt(keys.length)],
                keys[random.nextInt(keys.length)],
                keys[random.nextInt(keys.length)]);
        found += store.read("counts", three).size();
      }
      long triple = System.nanoTime() - start;
      long tripleCpu = THREADS.getCurrentThreadCpuTime() - startCpu;
      System.out.printf(
          "%s round %d: 1 key %d ns/read (cpu %d), 3 keys %d ns/read (cpu %d) [%d]%n",
          where,
          round,
          single / reads,
          singleCpu / reads,
          triple / (reads / 3),
          tripleCpu / (reads / 3),
          found);
    }
  }
}
