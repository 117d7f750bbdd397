package dev.lockstep.core.online.state;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** Wall-clock milliseconds that never go backwards, even when the system clock does. */
public final class MonotonicClock {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  public MonotonicClock(Clock clock) {
    this.clock = clock;
  }

  public long millis() {
    long now = clock.millis();
    return last.accumulateAndGet(now, Math::max);
  }
}
