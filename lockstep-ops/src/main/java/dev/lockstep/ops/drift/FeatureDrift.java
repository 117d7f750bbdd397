package dev.lockstep.ops.drift;

import dev.lockstep.core.drift.DriftState;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one feature's served values compare with its training values (see {@link Drift}).
 *
 * @param feature the feature column, {@code view__feature}
 * @param type the training profile's type ({@code double}, {@code string}, ...)
 * @param psi the population stability index; null when either side has no observations
 * @param ks the Kolmogorov–Smirnov statistic; null for a categorical feature or when either side
 *     has no values
 * @param trainingCount the training rows profiled
 * @param servedCount the served rows profiled
 * @param state the worse of the metrics' states, or {@link DriftState#NOT_ENOUGH_DATA}
 */
public record FeatureDrift(
    String feature, String type, Double psi, Double ks, long trainingCount, long servedCount, DriftState state) {

  /**
   * This result as a map for JSON: {@code feature}, {@code type}, {@code psi}, {@code ks}, {@code
   * training_count}, {@code served_count}, {@code state}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("feature", feature);
    map.put("type", type);
    map.put("psi", psi);
    map.put("ks", ks);
    map.put("training_count", trainingCount);
    map.put("served_count", servedCount);
    map.put("state", state.name());
    return map;
  }
}
