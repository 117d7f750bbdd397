package dev.lockstep.bench.online;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: request {@code i} is due at {@code start + i / rate}, whatever
 * happened to the requests before it, and its latency is measured from that due time, not from
 * when it was actually sent. A stalled server therefore shows up in the percentiles of every
 * request that was due during the stall (no coordinated omission, as in wrk2). The run is bounded:
 * {@code count} requests, and requests not sent within a grace period after the last one was due
 * are counted as unsent.
 */
final class OpenLoop {
  /** How long after the last due time requests are still sent or awaited. */
  static final Duration GRACE = Duration.ofSeconds(5);

  /** One point: how many were due, done, failed, never sent; the achieved rate; the latencies. */
  record Point(long due, long completed, long errors, long unsent, double achievedPerSecond, Latencies latencies) {}

  /** A blocking connection: sends request {@code index}, waits for the answer, says whether it succeeded. */
  interface Connection extends AutoCloseable {
    boolean exchange(long index) throws Exception;
  }

  /** Opens connections. */
  interface Connector {
    Connection open() throws Exception;
  }

  /** An asynchronous client: sends request {@code index} and completes when it is answered. */
  interface AsyncTarget {
    CompletionStage<?> send(long index);
  }

  private OpenLoop() {}

  /**
   * Drives {@code connections} blocking connections, one thread each, which take the next due
   * request as soon as they are free (a connection pool, as service clients use HTTP).
   */
  static Point blocking(Connector connector, int connections, double rate, long count) throws Exception {
    List<Connection> opened = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      opened.add(connector.open());
    }
    double interval = 1e9 / rate;
    long start = System.nanoTime() + 20_000_000L;
    long deadline = start + (long) (count * interval) + GRACE.toNanos();
    AtomicLong next = new AtomicLong();
    LongAdder completed = new LongAdder();
    LongAdder errors = new LongAdder();
    LongAdder unsent = new LongAdder();
    LongAccumulator last = new LongAccumulator(Math::max, start);
    Latencies all = new Latencies();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Connection connection = opened.get(c);
      Thread thread = new Thread(() -> {
        Latencies latencies = new Latencies();
        Connection current = connection;
        for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          long due = start + (long) (i * interval);
          waitUntil(due);
          if (System.nanoTime() > deadline) {
            unsent.increment();
            continue;
          }
          boolean ok;
          try {
            ok = current.exchange(i);
          } catch (Exception e) {
            ok = false;
            current = reopen(current, connector);
          }
          long done = System.nanoTime();
          latencies.record(done - due);
          completed.increment();
          last.accumulate(done);
          if (!ok) {
            errors.increment();
          }
          if (current == null) {
            unsent.add(Math.max(0, count - next.get()));
            break;
          }
        }
        all.add(latencies);
        closeQuietly(current);
      }, "load-" + c);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return point(count, completed.sum(), errors.sum(), unsent.sum(), start, last.get(), all);
  }

  /** Sends from one scheduling thread; answers are recorded by whichever thread completes them. */
  static Point async(AsyncTarget target, double rate, long count) throws InterruptedException {
    double interval = 1e9 / rate;
    long start = System.nanoTime() + 20_000_000L;
    long deadline = start + (long) (count * interval) + GRACE.toNanos();
    LongAdder completed = new LongAdder();
    LongAdder errors = new LongAdder();
    LongAccumulator last = new LongAccumulator(Math::max, start);
    Latencies latencies = new Latencies();
    long sent = 0;
    for (long i = 0; i < count; i++) {
      long due = start + (long) (i * interval);
      waitUntil(due);
      if (System.nanoTime() > deadline) {
        break;
      }
      sent++;
      target.send(i).whenComplete((value, failure) -> {
        long done = System.nanoTime();
        latencies.recordSynchronized(done - due);
        if (failure != null) {
          errors.increment();
        }
        last.accumulate(done);
        completed.increment();
      });
    }
    while (completed.sum() < sent && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long done = completed.sum();
    return point(count, done, errors.sum() + (sent - done), count - sent, start, last.get(), latencies);
  }

  private static Point point(long due, long completed, long errors, long unsent, long start, long last,
      Latencies latencies) {
    double seconds = Math.max(1e-9, (last - start) / 1e9);
    return new Point(due, completed, errors, unsent, completed / seconds, latencies);
  }

  private static void waitUntil(long due) {
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }

  private static Connection reopen(Connection broken, Connector connector) {
    closeQuietly(broken);
    try {
      return connector.open();
    } catch (Exception e) {
      return null;
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (Exception ignored) {
        // the connection is being dropped anyway
      }
    }
  }
}
