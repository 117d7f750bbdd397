package dev.lockstep.embedded.log;

import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A throwaway measurement, not a test: appends of 100-byte records with fsync on, (a) from one
 * thread in batches of 1000, (b) from 16 threads one record per append and, for comparison, from
 * one thread one record per append, printing records per second and forces; then reads the
 * batches back in pages of 10,000. Run with the module's test classpath: {@code java -cp ...
 * dev.lockstep.embedded.log.EventLogThroughput [seconds] [dir] [all|batches|singles]}.
 */
final class EventLogThroughput {
  private static final int RECORD_BYTES = 100;

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("event-log");
    String only = args.length > 2 ? args[2] : "all";
    try (LocalEventLog log = LocalEventLog.open(dir, 64L << 20, true)) {
      log.createStream("batches", 1);
      log.createStream("singles", 1);
      for (int round = 0; round < 2; round++) {
        if (!only.equals("singles")) {
          run(log, "batches", 1, 1000, seconds);
        }
        if (!only.equals("batches")) {
          run(log, "singles", 16, 1, seconds);
          run(log, "singles", 1, 1, seconds);
        }
      }
      if (!only.equals("singles")) {
        readAll(log, "batches");
        readAll(log, "batches");
      }
    }
  }

  private static void readAll(LocalEventLog log, String stream) {
    long start = System.nanoTime();
    long records = 0;
    Position from = Position.start(0);
    for (List<LogEntry> page = log.read(stream, from, 10_000); !page.isEmpty();
        page = log.read(stream, from, 10_000)) {
      records += page.size();
      from = page.get(page.size() - 1).position().next();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf("read %,d records in pages of 10000: %,.0f records/s%n", records,
        records / elapsed);
  }

  private static void run(LocalEventLog log, String stream, int threads, int batchSize,
      double seconds) throws Exception {
    long forcesBefore = log.forces();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Long>> futures = new ArrayList<>();
    for (int thread = 0; thread < threads; thread++) {
      int id = thread;
      futures.add(pool.submit(() -> {
        List<LogRecord> batch = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
          byte[] key = ("key-" + id + "-" + i).getBytes();
          batch.add(new LogRecord(key, new byte[RECORD_BYTES - key.length], i));
        }
        go.await();
        long records = 0;
        while (System.nanoTime() < deadline) {
          log.append(stream, batch);
          records += batchSize;
        }
        return records;
      }));
    }
    long start = System.nanoTime();
    go.countDown();
    long records = 0;
    for (Future<Long> future : futures) {
      records += future.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long forces = log.forces() - forcesBefore;
    System.out.printf("%d thread(s) x batches of %d: %,.0f records/s, %,.0f appends/s, %d forces"
            + " (%.1f records per force)%n", threads, batchSize, records / elapsed,
        records / batchSize / elapsed, forces, (double) records / forces);
  }
}
