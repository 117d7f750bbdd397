package dev.lockstep.core.training;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;

/**
 * A feature column of a training set: its name and the type of its values.
 *
 * @param name {@code view__feature}
 * @param type the values' type
 * @param list whether each value is a list of {@code type} ({@code first_k}, {@code last_k})
 */
public record FeatureColumn(String name, ValueType type, boolean list) {

  /** The result type of {@code aggregation} over a column of {@code input} type. */
  static FeatureColumn of(String name, Aggregation aggregation, ValueType input) {
    return switch (aggregation.function()) {
      case COUNT, COUNT_NON_NULL, APPROX_COUNT_DISTINCT -> new FeatureColumn(name, ValueType.LONG, false);
      case SUM -> new FeatureColumn(name, input, false);
      case MEAN, VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP, APPROX_PERCENTILE ->
          new FeatureColumn(name, ValueType.DOUBLE, false);
      case MIN, MAX, FIRST, LAST -> new FeatureColumn(name, input, false);
      case FIRST_K, LAST_K -> new FeatureColumn(name, input, true);
    };
  }
}
