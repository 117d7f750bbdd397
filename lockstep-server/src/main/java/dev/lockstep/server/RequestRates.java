package dev.lockstep.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-caller request rates: a token bucket per principal (or per client address without
 * authentication) holding up to one second of requests and refilled continuously, so one caller
 * cannot starve the others.
 *
 * <p>Thread-safe: buckets are concurrent map values, each updated under its own lock; idle buckets
 * are dropped when the map grows past {@link #MAX_CALLERS}.
 */
final class RequestRates {
  static final int MAX_CALLERS = 100_000;
  private static final long IDLE_NANOS = 60_000_000_000L;

  private final int perSecond;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long refilled;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilled = now;
    }
  }

  RequestRates(int perSecond) {
    this.perSecond = perSecond;
  }

  /**
   * Takes a token of {@code caller}'s bucket.
   *
   * @return 0 if the request may go on, else how many seconds to wait for a token (at least 1)
   */
  long take(String caller, long now) {
    if (buckets.size() > MAX_CALLERS) {
      buckets.values().removeIf(bucket -> now - bucket.refilled > IDLE_NANOS);
    }
    Bucket bucket = buckets.computeIfAbsent(caller, ignored -> new Bucket(perSecond, now));
    synchronized (bucket) {
      bucket.tokens = Math.min(perSecond, bucket.tokens + (now - bucket.refilled) * perSecond / 1e9);
      bucket.refilled = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
    }
  }
}
