package dev.lockstep.core.online;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** Wall-clock milliseconds that never go backwards, even when the system clock does. */
final class MonotonicClock {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  MonotonicClock(Clock clock) {
    this.clock = clock;
  }

  long millis() {
    long now = clock.millis();
    return last.accumulateAndGet(now, Math::max);
  }
}
