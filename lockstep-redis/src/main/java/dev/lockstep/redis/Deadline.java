package dev.lockstep.redis;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * When the store stops waiting for Redis. A call is given the configured timeout, and once more for
 * every {@value #BYTES_PER_TIMEOUT} bytes it sends, so that a large batch is not cut off by a
 * timeout meant for one read; the timeout is meant to catch a server that stopped answering, not a
 * slow network.
 *
 * @param nanos the deadline on the {@link System#nanoTime()} clock
 * @param allowed how long the call was given, for messages
 */
record Deadline(long nanos, Duration allowed) {
  static final long BYTES_PER_TIMEOUT = 16L << 20;

  /** The configured timeout from now. */
  static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
  }

  /** The configured timeout from now, plus one more for every started 16 MiB of {@code bytes}. */
  static Deadline after(Duration timeout, long bytes) {
    long timeouts = 1 + bytes / BYTES_PER_TIMEOUT;
    Duration allowed =
        timeouts > Long.MAX_VALUE / Math.max(1, timeout.toNanos())
            ? Duration.ofDays(365)
            : timeout.multipliedBy(timeouts);
    return new Deadline(System.nanoTime() + allowed.toNanos(), allowed);
  }

  /**
   * The result of {@code future}, waiting until the deadline; on a timeout or an interrupt the
   * future is cancelled first (Lettuce then never sends the command, if it had not yet).
   *
   * @throws ExecutionException if the command failed
   * @throws TimeoutException if the deadline passed, with the message {@code "no reply within 2s"}
   * @throws InterruptedException if the thread was interrupted
   */
  <T> T await(Future<T> future) throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return future.get(Math.max(0, nanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new TimeoutException("no reply within " + format(allowed));
    } catch (InterruptedException e) {
      future.cancel(false);
      throw e;
    }
  }

  /** {@code 2s}, {@code 1500ms}: as the {@code timeout} property is written. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
