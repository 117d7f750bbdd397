package dev.lockstep.ops.parity;

import dev.lockstep.api.PointInTimeMode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a {@link Replay} found: how many logged vectors and feature values it rebuilt, and how many
 * values differ from what was served, with the first few differences.
 *
 * @param service the feature service replayed
 * @param mode the point-in-time mode of the rebuild ({@code AS_OF_INGEST} checks parity)
 * @param registryVersions the registry versions the logged vectors were served at, ascending
 * @param vectors logged vectors rebuilt
 * @param values feature values compared
 * @param mismatches values that differ
 * @param mismatchedVectors vectors with at least one value that differs
 * @param examples the first {@link #MAX_EXAMPLES} mismatches, in log order
 * @param onDemandCompared outputs of on-demand views compared on at least one vector, by column
 * @param notCompared outputs of on-demand views that read request fields, not compared on some
 *     vectors because they were logged before the log kept request fields
 * @param extent the log sequences and times of the vectors rebuilt; empty when none was
 */
public record ReplayReport(
    String service,
    PointInTimeMode mode,
    List<Long> registryVersions,
    long vectors,
    long values,
    long mismatches,
    long mismatchedVectors,
    List<Mismatch> examples,
    List<String> onDemandCompared,
    List<String> notCompared,
    Optional<Extent> extent) {

  /** The most mismatches a report lists. */
  public static final int MAX_EXAMPLES = 20;

  public ReplayReport {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(mode, "mode");
    registryVersions = List.copyOf(registryVersions);
    examples = List.copyOf(examples);
    onDemandCompared = List.copyOf(onDemandCompared);
    notCompared = List.copyOf(notCompared);
    Objects.requireNonNull(extent, "extent");
  }

  /** Whether every compared value was rebuilt exactly. */
  public boolean matches() {
    return mismatches == 0;
  }

  /**
   * Which logged vectors a replay rebuilt, both bounds inclusive.
   *
   * @param firstSequence the lowest log sequence rebuilt
   * @param lastSequence the highest log sequence rebuilt
   * @param firstT the earliest {@code t} rebuilt
   * @param lastT the latest {@code t} rebuilt
   */
  public record Extent(long firstSequence, long lastSequence, Instant firstT, Instant lastT) {
    public Extent {
      Objects.requireNonNull(firstT, "firstT");
      Objects.requireNonNull(lastT, "lastT");
    }
  }

  /**
   * One feature value that the rebuild computed differently.
   *
   * @param entity the entity's join keys, as requested
   * @param t the instant the vector was served at
   * @param feature the feature column, {@code view__feature}
   * @param served the value served (Long, Double, String, List or null)
   * @param rebuilt the value the offline rebuild computed
   */
  public record Mismatch(Map<String, Object> entity, Instant t, String feature, Object served, Object rebuilt) {
    public Mismatch {
      entity = Collections.unmodifiableMap(new LinkedHashMap<>(entity));
      Objects.requireNonNull(t, "t");
      Objects.requireNonNull(feature, "feature");
    }

    /**
     * For people: {@code card_id=c-1 at 2026-03-01T12:00:00Z card_txn__count: served 3, rebuilt 4},
     * strings quoted so that {@code "null"} and null differ.
     */
    public String describe() {
      return entity.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
          .collect(Collectors.joining(",")) + " at " + t + " " + feature + ": served " + show(served)
          + ", rebuilt " + show(rebuilt);
    }

    private static String show(Object value) {
      if (value instanceof String text) {
        return "\"" + text + "\"";
      }
      if (value instanceof List<?> list) {
        return list.stream().map(Mismatch::show).collect(Collectors.joining(", ", "[", "]"));
      }
      return String.valueOf(value);
    }
  }
}
