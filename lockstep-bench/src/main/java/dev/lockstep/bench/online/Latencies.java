package dev.lockstep.bench.online;

import org.HdrHistogram.Histogram;

/**
 * Latencies in nanoseconds, recorded into an HdrHistogram (3 significant digits, up to a minute).
 * Not thread-safe: one per thread, then {@link #add}ed together; {@link #recordSynchronized} for
 * completions that arrive on other threads.
 */
final class Latencies {
  private static final long HIGHEST_NANOS = 60_000_000_000L;

  private final Histogram histogram = new Histogram(1, HIGHEST_NANOS, 3);

  void record(long nanos) {
    histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST_NANOS)));
  }

  synchronized void recordSynchronized(long nanos) {
    record(nanos);
  }

  synchronized void add(Latencies other) {
    histogram.add(other.histogram);
  }

  synchronized long count() {
    return histogram.getTotalCount();
  }

  /** The value at {@code percentile} (0 to 100), in microseconds; NaN when empty. */
  synchronized double micros(double percentile) {
    return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e3;
  }

  /** The largest value, in milliseconds; NaN when empty. */
  synchronized double maxMillis() {
    return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1e6;
  }

  /** The value at {@code percentile} (0 to 100), in milliseconds; NaN when empty. */
  double millis(double percentile) {
    return micros(percentile) / 1e3;
  }
}
