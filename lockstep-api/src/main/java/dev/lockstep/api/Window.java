package dev.lockstep.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The span of events an aggregation sees at evaluation time {@code t}.
 *
 * <p>A <b>sliding</b> window of size {@code W} and hop {@code H} covers the half-open interval
 * {@code [floor_H(t - W), t)}: the head is exact and exclusive (an event at exactly {@code t} is not
 * seen), the tail is aligned down to a multiple of {@code H} counted from the epoch, so the window
 * spans between {@code W} and {@code W + H}. A <b>lifetime</b> window covers every event before
 * {@code t}.
 *
 * <p>Sizes and hops are whole milliseconds.
 */
public final class Window {
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  /** Tile width used for lifetime windows; it has no effect on their values. */
  public static final long LIFETIME_TILE_MILLIS = DAY;

  private static final Window LIFETIME = new Window(-1, LIFETIME_TILE_MILLIS);

  private final long sizeMillis;
  private final long hopMillis;

  private Window(long sizeMillis, long hopMillis) {
    this.sizeMillis = sizeMillis;
    this.hopMillis = hopMillis;
  }

  /** A sliding window with the default hop for its size (see {@link #defaultHop(Duration)}). */
  public static Window sliding(Duration size) {
    return sliding(size, defaultHop(checkedMillis("size", size)));
  }

  /**
   * A sliding window with an explicit hop.
   *
   * @throws InvalidDefinitionException if size or hop is not a positive whole number of
   *     milliseconds, or the hop exceeds the size
   */
  public static Window sliding(Duration size, Duration hop) {
    long sizeMillis = checkedMillis("size", size);
    long hopMillis = checkedMillis("hop", hop);
    if (hopMillis > sizeMillis) {
      throw new InvalidDefinitionException(
          "Cannot define window " + format(sizeMillis) + " with hop " + format(hopMillis)
              + ": the hop must not exceed the window (use a hop of at most " + format(sizeMillis) + ")");
    }
    return new Window(sizeMillis, hopMillis);
  }

  /** The window of every event before {@code t}. */
  public static Window lifetime() {
    return LIFETIME;
  }

  /**
   * The hop used when a sliding window declares none: 1 minute up to 1 hour, 5 minutes up to 1 day,
   * 1 hour up to 14 days, 1 day beyond; never more than the window itself.
   */
  public static Duration defaultHop(Duration size) {
    return defaultHop(checkedMillis("size", size));
  }

  private static Duration defaultHop(long sizeMillis) {
    long hop;
    if (sizeMillis <= HOUR) {
      hop = MINUTE;
    } else if (sizeMillis <= DAY) {
      hop = 5 * MINUTE;
    } else if (sizeMillis <= 14 * DAY) {
      hop = HOUR;
    } else {
      hop = DAY;
    }
    return Duration.ofMillis(Math.min(hop, sizeMillis));
  }

  public boolean isLifetime() {
    return sizeMillis < 0;
  }

  /** The window size; null for a lifetime window. */
  public Duration size() {
    return isLifetime() ? null : Duration.ofMillis(sizeMillis);
  }

  /** The hop; for a lifetime window, the tile width {@link #LIFETIME_TILE_MILLIS}. */
  public Duration hop() {
    return Duration.ofMillis(hopMillis);
  }

  /** The size in milliseconds; -1 for a lifetime window. */
  public long sizeMillis() {
    return sizeMillis;
  }

  public long hopMillis() {
    return hopMillis;
  }

  private static long checkedMillis(String what, Duration duration) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero() || duration.getNano() % 1_000_000 != 0) {
      throw new InvalidDefinitionException(
          "Cannot define window " + what + " " + duration
              + ": it must be a positive whole number of milliseconds (e.g. 5m, 1h, 30d)");
    }
    return duration.toMillis();
  }

  /** Formats milliseconds in the largest whole unit: {@code 30d}, {@code 5m}, {@code 1500ms}. */
  static String format(long millis) {
    long[] units = {DAY, HOUR, MINUTE, 1000L, 1L};
    String[] names = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (millis % units[i] == 0) {
        return (millis / units[i]) + names[i];
      }
    }
    throw new AssertionError(millis);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Window window
        && window.sizeMillis == sizeMillis
        && window.hopMillis == hopMillis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sizeMillis) * 31 + Long.hashCode(hopMillis);
  }

  /** {@code lifetime}, or {@code size/hop} such as {@code 1d/5m}. */
  @Override
  public String toString() {
    return isLifetime() ? "lifetime" : format(sizeMillis) + "/" + format(hopMillis);
  }
}
