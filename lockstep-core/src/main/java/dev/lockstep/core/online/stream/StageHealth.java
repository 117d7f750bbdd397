package dev.lockstep.core.online.stream;

import dev.lockstep.core.online.state.MonotonicClock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which stages of one source's stream fail now (apply, offline), with why and since when: a failing
 * stage is retried with backoff and the stream goes on.
 *
 * <p>Thread-safe: each stage's thread records its own outcome; readiness reads the map.
 */
public final class StageHealth {
  /** Longest pause between retries of a failing stage. */
  public static final long MAX_BACKOFF_MILLIS = 5_000;

  /** A stage failing since {@code since}: it is retried with backoff and the stream goes on. */
  public record Degradation(String stage, String reason, long since, long failures) {}

  private final String stream;
  private final MonotonicClock clock;
  private final Map<String, Degradation> degraded = new ConcurrentHashMap<>();

  public StageHealth(String stream, MonotonicClock clock) {
    this.stream = stream;
    this.clock = clock;
  }

  /** Records a failure of {@code stage}; logs the 1st, 2nd, 4th, 8th, ... failure in a row. */
  public void failed(String stage, RuntimeException e) {
    Degradation before = degraded.get(stage);
    long failures = before == null ? 1 : before.failures() + 1;
    degraded.put(stage, new Degradation(stage, String.valueOf(e.getMessage()),
        before == null ? clock.millis() : before.since(), failures));
    if (before == null || Long.bitCount(failures) == 1) {
      System.err.println("lockstep: the " + stage + " stage of source '" + stream + "' failed " + failures
          + " time(s) in a row, retrying: " + e.getMessage());
    }
  }

  public void recovered(String stage) {
    if (degraded.remove(stage) != null) {
      System.err.println("lockstep: the " + stage + " stage of source '" + stream + "' works again");
    }
  }

  /** Sleeps as long as {@code stage}'s failures in a row ask: 100 ms doubling up to {@link #MAX_BACKOFF_MILLIS}. */
  public void backOff(String stage) {
    Degradation degradation = degraded.get(stage);
    sleepQuietly(degradation == null ? 0 : Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(16, degradation.failures())));
  }

  /** The stages failing now, by stage; empty when the stream is healthy. */
  public Map<String, Degradation> degradations() {
    return Map.copyOf(degraded);
  }

  public static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
