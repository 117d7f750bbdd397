package dev.lockstep.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when a test moves it, in UTC. Safe to read and move from several
 * threads. Clocks derived with {@link #withZone} share this clock's instant.
 */
public final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock that reads {@code start} until it is moved. */
  public ManualClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /** A clock that reads {@code epochMillis} until it is moved. */
  public static ManualClock ofEpochMilli(long epochMillis) {
    return new ManualClock(Instant.ofEpochMilli(epochMillis));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view of this clock in another zone; moving either moves both. */
  @Override
  public Clock withZone(ZoneId newZone) {
    return newZone.equals(zone) ? this : new ManualClock(now, Objects.requireNonNull(newZone, "zone"));
  }

  /** Sets the current instant; it may move backwards, to test clock skew. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /** Sets the current instant to {@code epochMillis}. */
  public void setEpochMilli(long epochMillis) {
    set(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * Moves the clock forward and returns the new instant.
   *
   * @throws IllegalArgumentException if the duration is negative (use {@link #set} to go back)
   */
  public Instant advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "Cannot advance the clock by " + duration + ": the duration is negative (use set() to move it back)");
    }
    return now.updateAndGet(instant -> instant.plus(duration));
  }

  /** Moves the clock forward by {@code millis} milliseconds and returns the new instant. */
  public Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + ", " + zone + "]";
  }
}
