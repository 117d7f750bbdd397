package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A throwaway measurement, not a test: writes {@code rows} payment events (card_id, amount,
 * merchant, items and the times) over 30 days in appends of 1M time-ordered rows, then batch-scans
 * them on one thread and on two, printing rows per second. Run with the module's test classpath:
 * {@code java -cp ... dev.lockstep.embedded.iceberg.BatchScanThroughput [rows] [dir]}.
 */
final class BatchScanThroughput {
  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("throughput");
    try (IcebergOfflineStore store = IcebergOfflineStore.open(dir)) {
      if (!store.tables().contains("payments")) {
        store.createTable("payments", Payments.SCHEMA);
        write(store, total);
      }
      for (int round = 0; round < 3; round++) {
        scan(store, 1);
      }
      for (int round = 0; round < 2; round++) {
        scan(store, 2);
      }
    }
  }

  private static void write(IcebergOfflineStore store, int total) {
    SplittableRandom random = new SplittableRandom(42);
    int chunk = 1_000_000;
    long span = 30 * Payments.DAY / ((total + chunk - 1) / chunk);
    long started = System.nanoTime();
    long appendCpu = 0;
    for (int first = 0; first < total; first += chunk) {
      int size = Math.min(chunk, total - first);
      long start = Payments.DAY_ONE + (first / chunk) * span;
      List<Row> rows = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        long eventTime = start + span * i / size;
        rows.add(
            Row.of(
                eventTime,
                eventTime + random.nextInt(5_000),
                first + i + 1L,
                String.format("card-%07d", random.nextInt(1_000_000)),
                random.nextInt(100_000) / 100.0,
                "merchant-" + random.nextInt(10_000),
                (long) random.nextInt(1, 20)));
      }
      long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      store.append("payments", rows);
      appendCpu += ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "wrote %,d rows in %.1f s (with generating them): %,.0f rows/s; appends took %.1f CPU s:"
            + " %,.0f rows per CPU second%n",
        total, seconds, total / seconds, appendCpu / 1e9, total / (appendCpu / 1e9));
  }

  private static void scan(IcebergOfflineStore store, int threads) throws Exception {
    long started = System.nanoTime();
    List<ScanTask> tasks = store.planBatchScan("payments", ScanRequest.latest(), 65_536);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int self = t;
      results.add(
          pool.submit(
              () -> {
                long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                long rows = 0;
                long check = 0;
                for (int i = self; i < tasks.size(); i += threads) {
                  try (CloseableIterator<RowBatch> batches = tasks.get(i).open()) {
                    while (batches.hasNext()) {
                      RowBatch batch = batches.next();
                      rows += batch.size();
                      // Touch every column so nothing is skipped.
                      long[] items = batch.longs(3);
                      double[] amounts = batch.doubles(1);
                      String[] cards = batch.strings(0);
                      String[] merchants = batch.strings(2);
                      for (int r = 0; r < batch.size(); r++) {
                        check +=
                            batch.eventTimes()[r]
                                + batch.sequences()[r]
                                + items[r]
                                + (long) amounts[r]
                                + cards[r].length()
                                + merchants[r].length();
                      }
                    }
                  }
                }
                long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
                return new long[] {rows, check, cpu};
              }));
    }
    long rows = 0;
    long cpu = 0;
    for (Future<long[]> result : results) {
      rows += result.get()[0];
      cpu += result.get()[2];
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "%d thread(s), %d tasks: %,d rows in %.2f s: %,.0f rows/s; %.2f CPU s: %,.0f rows per"
            + " CPU second%n",
        threads, tasks.size(), rows, seconds, rows / seconds, cpu / 1e9, rows / (cpu / 1e9));
  }
}
