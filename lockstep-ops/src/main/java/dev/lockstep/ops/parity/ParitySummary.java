package dev.lockstep.ops.parity;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The parity of one feature service as its {@link ParityMonitor} checked it: totals over a recent
 * window and over all time, and the last check and mismatch. Only the monitor's checks ({@link
 * ParityChecks#BY_SERVE}) are counted, so each logged vector counts once; the newest check by
 * {@code lockstep replay}, which may re-check vectors, is shown apart.
 *
 * @param service the feature service
 * @param window how far back {@code recent} reaches
 * @param recent the monitor's checks with {@code now - window <= checked_at}
 * @param allTime every check of the monitor
 * @param lastCheckedAt when the monitor's newest check finished
 * @param lastMismatchAt when the monitor's newest check that found a mismatch finished
 * @param lastMismatch that check's first mismatch, for people
 * @param lastReplay the newest check by {@code lockstep replay}
 */
public record ParitySummary(
    String service,
    Duration window,
    Totals recent,
    Totals allTime,
    Optional<Instant> lastCheckedAt,
    Optional<Instant> lastMismatchAt,
    Optional<String> lastMismatch,
    Optional<ParityCheck> lastReplay) {

  public ParitySummary {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(recent, "recent");
    Objects.requireNonNull(allTime, "allTime");
    Objects.requireNonNull(lastCheckedAt, "lastCheckedAt");
    Objects.requireNonNull(lastMismatchAt, "lastMismatchAt");
    Objects.requireNonNull(lastMismatch, "lastMismatch");
    Objects.requireNonNull(lastReplay, "lastReplay");
  }

  /** A service nothing was checked for yet. */
  public static ParitySummary empty(String service, Duration window) {
    return new ParitySummary(service, window, Totals.ZERO, Totals.ZERO, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  /**
   * Plain maps, lists, numbers, strings and nulls for JSON: {@code service}, {@code window_seconds},
   * {@code recent} and {@code all_time} (see {@link Totals#toMap()}), {@code last_checked_at},
   * {@code last_mismatch_at} (ISO-8601 or null), {@code last_mismatch} (or null) and {@code
   * last_replay} (or null: {@code checked_at}, {@code vectors_checked}, {@code mismatched_vectors},
   * {@code first_mismatch}).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("service", service);
    map.put("window_seconds", window.toSeconds());
    map.put("recent", recent.toMap());
    map.put("all_time", allTime.toMap());
    map.put("last_checked_at", lastCheckedAt.map(Instant::toString).orElse(null));
    map.put("last_mismatch_at", lastMismatchAt.map(Instant::toString).orElse(null));
    map.put("last_mismatch", lastMismatch.orElse(null));
    map.put("last_replay", lastReplay.map(replay -> {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("checked_at", replay.checkedAt().toString());
      check.put("vectors_checked", replay.vectors());
      check.put("mismatched_vectors", replay.mismatchedVectors());
      check.put("first_mismatch", replay.firstMismatch().orElse(null));
      return check;
    }).orElse(null));
    return map;
  }

  /**
   * Sums over checks.
   *
   * @param checks checks counted
   * @param vectors logged vectors checked
   * @param values feature values compared
   * @param mismatchedVectors vectors with at least one value that differs
   * @param mismatchedValues values that differ
   */
  public record Totals(long checks, long vectors, long values, long mismatchedVectors, long mismatchedValues) {
    /** No check. */
    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0);

    /** These totals and {@code check}'s. */
    public Totals plus(ParityCheck check) {
      return new Totals(checks + 1, vectors + check.vectors(), values + check.values(),
          mismatchedVectors + check.mismatchedVectors(), mismatchedValues + check.mismatchedValues());
    }

    /**
     * Mismatched vectors / vectors checked; empty when no vector was checked. (A Prometheus gauge
     * can report {@code orElse(Double.NaN)}.)
     */
    public OptionalDouble mismatchRate() {
      return vectors == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) mismatchedVectors / vectors);
    }

    /**
     * {@code checks}, {@code vectors_checked}, {@code values_compared}, {@code mismatched_vectors},
     * {@code mismatched_values} and {@code mismatch_rate} (a Double, or null when nothing was
     * checked).
     */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("checks", checks);
      map.put("vectors_checked", vectors);
      map.put("values_compared", values);
      map.put("mismatched_vectors", mismatchedVectors);
      map.put("mismatched_values", mismatchedValues);
      OptionalDouble rate = mismatchRate();
      map.put("mismatch_rate", rate.isPresent() ? (Object) rate.getAsDouble() : null);
      return map;
    }
  }
}
