package dev.lockstep.redis;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls in flight, so that closing waits for them instead of shutting the connections
 * down under them. One word holds both the count and a closed bit (the sign bit): entering is one
 * atomic increment that also tells whether the store is closed, and no call can slip in between the
 * close and the wait. Every call is bounded by the store's timeout, so the wait is too.
 */
final class CallGuard {
  private static final long CLOSED = Long.MIN_VALUE;

  private final AtomicLong state = new AtomicLong();

  /** Whether a call may proceed; if true, the caller must call {@link #exit()} when done. */
  boolean tryEnter() {
    if (state.incrementAndGet() < 0) {
      state.decrementAndGet();
      return false;
    }
    return true;
  }

  void exit() {
    state.decrementAndGet();
  }

  boolean isClosed() {
    return state.get() < 0;
  }

  /**
   * Marks the guard closed and waits until no call is running.
   *
   * @return false if it was already closed
   */
  boolean close() {
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
