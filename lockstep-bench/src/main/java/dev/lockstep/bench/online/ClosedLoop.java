package dev.lockstep.bench.online;

import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop calls timed one by one: each of 1, then 2 threads calls as fast as calls return, on
 * uniformly random entities, for a fixed time after a warm-up on 2 threads; every call is timed
 * with {@link System#nanoTime()} into {@link Latencies}. The read benchmarks' measurement.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** One timed call for one entity; returns something that depends on the result. */
  interface Call {
    long call(int entity) throws Exception;
  }

  /**
   * Warm-up, then 1 thread, then 2 threads, each for {@code seconds}; emits the rows
   * {@code "<system> 1t"} and {@code "<system> 2t"} of {@code section} (p50, p99, p99.9 µs and calls
   * per second).
   */
  static void measure(String section, String system, Call call, int entities, double seconds, double warmup,
      long seed) throws Exception {
    run(system, call, entities, 2, warmup, seed + 100, new Latencies(), new long[1]);
    for (int threads : new int[] {1, 2}) {
      Latencies latencies = new Latencies();
      long[] calls = new long[1];
      double elapsed = run(system, call, entities, threads, seconds, seed, latencies, calls);
      String row = system + " " + threads + "t";
      double rate = calls[0] / elapsed;
      Results.say("%-24s p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, %,.0f vectors/s (%,d calls)", row,
          latencies.micros(50), latencies.micros(99), latencies.micros(99.9), rate, calls[0]);
      Results.emit(section, row, "p50_us", latencies.micros(50));
      Results.emit(section, row, "p99_us", latencies.micros(99));
      Results.emit(section, row, "p999_us", latencies.micros(99.9));
      Results.emit(section, row, "per_second", rate);
      Results.emit(section, row, "per_second_per_thread", rate / threads);
    }
  }

  /**
   * Runs {@code threads} callers (threads named {@code "<system> caller <n>"}, for profiles) for
   * {@code seconds}; returns the elapsed seconds.
   */
  private static double run(String system, Call call, int entities, int threads, double seconds, long seed, Latencies total,
      long[] calls) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    LongAdder count = new LongAdder();
    LongAdder sink = new LongAdder();
    Thread[] callers = new Thread[threads];
    Latencies[] perThread = new Latencies[threads];
    Throwable[] failure = new Throwable[1];
    long[] end = new long[1];
    for (int t = 0; t < threads; t++) {
      Latencies latencies = new Latencies();
      perThread[t] = latencies;
      SplittableRandom random = new SplittableRandom(seed * 31 + t);
      callers[t] = new Thread(() -> {
        try {
          start.await();
          long deadline = end[0];
          long done = 0;
          long checksum = 0;
          while (true) {
            int entity = random.nextInt(entities);
            long before = System.nanoTime();
            checksum += call.call(entity);
            long after = System.nanoTime();
            latencies.record(after - before);
            done++;
            if (after >= deadline) {
              break;
            }
          }
          count.add(done);
          sink.add(checksum);
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = failure[0] == null ? e : failure[0];
          }
        }
      }, system + " caller " + t);
      callers[t].start();
    }
    long began = System.nanoTime();
    end[0] = began + (long) (seconds * 1e9);
    start.await();
    for (Thread caller : callers) {
      caller.join();
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw new IllegalStateException("Cannot measure: a call failed: " + failure[0], failure[0]);
      }
    }
    double elapsed = (System.nanoTime() - began) / 1e9;
    for (Latencies latencies : perThread) {
      total.add(latencies);
    }
    calls[0] = count.sum();
    if (sink.sum() < 0) {
      Results.say("(unreachable) %d", sink.sum());
    }
    return elapsed;
  }
}
