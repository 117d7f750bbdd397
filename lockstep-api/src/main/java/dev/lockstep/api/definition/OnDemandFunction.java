package dev.lockstep.api.definition;

import java.util.Map;

/**
 * The code behind an {@link OnDemandFeatureView}. Implementations are pure functions: the same
 * inputs give the same outputs in training and in serving. They must be thread-safe.
 */
@FunctionalInterface
public interface OnDemandFunction {

  /**
   * Computes the outputs.
   *
   * @param values the input features by column name ({@code view__feature}) and the request fields
   *     by name; a value is null when the feature has no data or the field is missing
   * @return the outputs by name: {@code Long}, {@code Double}, {@code String} or null
   */
  Map<String, Object> compute(Map<String, Object> values);
}
