package dev.lockstep.spi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * For backend implementations: counts the calls in flight, so that {@link Backend#close()} waits
 * for them instead of freeing native handles or shutting connections down under them. One word
 * holds both the count and a closed bit (the sign bit): entering is one atomic increment that also
 * tells whether the backend is closed, and no call can slip in between the close and the wait.
 *
 * <pre>{@code
 * if (!calls.tryEnter()) {
 *   throw new IllegalStateException("Cannot read: the store is closed");
 * }
 * try {
 *   ...
 * } finally {
 *   calls.exit();
 * }
 * }</pre>
 */
public final class CallGuard {
  private static final long CLOSED = Long.MIN_VALUE;

  private final AtomicLong state = new AtomicLong();

  /** Whether a call may proceed; if true, the caller must call {@link #exit()} when done. */
  public boolean tryEnter() {
    if (state.incrementAndGet() < 0) {
      state.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Ends a call that {@link #tryEnter()} let in. */
  public void exit() {
    state.decrementAndGet();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return state.get() < 0;
  }

  /**
   * Marks the guard closed and waits until no call is running; the wait is as long as the longest
   * call in flight.
   *
   * @return false if it was already closed
   */
  public boolean close() {
    long previous;
    do {
      previous = state.get();
      if (previous < 0) {
        return false;
      }
    } while (!state.compareAndSet(previous, previous | CLOSED));
    boolean interrupted = false;
    while (state.get() != CLOSED) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
