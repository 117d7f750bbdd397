package dev.lockstep.api.client;

import dev.lockstep.api.FeatureStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entity's served features, each evaluated at {@code t} (docs/architecture.md, "Semantics: online serving").
 *
 * <p>{@code t} is the request's wall-clock time, except that it never passes the instant up to
 * which the online store has applied every accepted event of a streamed source (a few milliseconds
 * behind under load): a served vector reflects exactly the events ingested before {@code t}, so
 * rebuilding it offline in {@code AS_OF_INGEST} mode at the same {@code t} gives identical values.
 *
 * @param entity the entity's join keys, as requested
 * @param t the instant the features were evaluated at
 * @param values each feature's column name ({@code view__feature}) and value, in the requested
 *     order; values are Long, Double, String, List or null
 * @param statuses each feature's status, in the same order
 */
public record FeatureVector(
    Map<String, Object> entity,
    Instant t,
    Map<String, Object> values,
    Map<String, FeatureStatus> statuses) {

  public FeatureVector {
    entity = FeatureRequest.Collections2.copy(entity);
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    statuses = Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
  }

  /** The feature columns, in order. */
  public List<String> names() {
    return List.copyOf(values.keySet());
  }

  /**
   * The value of {@code column}.
   *
   * @throws IllegalArgumentException if the vector has no such feature
   */
  public Object value(String column) {
    if (!values.containsKey(column)) {
      throw new IllegalArgumentException("Cannot read feature '" + column + "': the vector has " + values.keySet());
    }
    return values.get(column);
  }

  /**
   * The status of {@code column}.
   *
   * @throws IllegalArgumentException if the vector has no such feature
   */
  public FeatureStatus status(String column) {
    FeatureStatus status = statuses.get(column);
    if (status == null) {
      throw new IllegalArgumentException("Cannot read feature '" + column + "': the vector has " + values.keySet());
    }
    return status;
  }
}
