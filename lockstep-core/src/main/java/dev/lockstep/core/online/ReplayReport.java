package dev.lockstep.core.online;

import dev.lockstep.api.PointInTimeMode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * @param examples the first {@link #MAX_EXAMPLES} mismatches, in log order
 * @param notCompared feature columns served but not compared: outputs of on-demand views that read
 *     request fields, which the log does not hold
 */
public record ReplayReport(
    String service,
    PointInTimeMode mode,
    List<Long> registryVersions,
    long vectors,
    long values,
    long mismatches,
    List<Mismatch> examples,
    List<String> notCompared) {

  /** The most mismatches a report lists. */
  public static final int MAX_EXAMPLES = 20;

  public ReplayReport {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(mode, "mode");
    registryVersions = List.copyOf(registryVersions);
    examples = List.copyOf(examples);
    notCompared = List.copyOf(notCompared);
  }

  /** Whether every compared value was rebuilt exactly. */
  public boolean matches() {
    return mismatches == 0;
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
  }
}
