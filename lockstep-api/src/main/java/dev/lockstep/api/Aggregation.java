package dev.lockstep.api;

import java.util.Objects;

/**
 * An unbound aggregation: a function, the column it reads by name, and its parameters. Binding to a
 * source schema (which checks that the column exists and has a type the function accepts) happens
 * in the engine.
 *
 * @param function the aggregation function
 * @param column the input column, or null for {@link AggregationFunction#COUNT}
 * @param k the number of values kept by {@code first_k} and {@code last_k}; 0 otherwise
 * @param quantile the quantile in [0, 1] of {@code approx_percentile}; NaN otherwise
 */
public record Aggregation(AggregationFunction function, String column, int k, double quantile) {

  /** Largest k accepted by {@code first_k} and {@code last_k}. */
  public static final int MAX_K = 1_000;

  public Aggregation {
    Objects.requireNonNull(function, "function");
    if (function.needsColumn() && (column == null || column.isBlank())) {
      throw new InvalidDefinitionException(
          "Cannot define " + function.yamlName() + ": it needs an input column (name one, e.g. "
              + function.yamlName() + "(amount))");
    }
    if (!function.needsColumn() && column != null) {
      throw new InvalidDefinitionException(
          "Cannot define count(" + column + "): count counts events and reads no column"
              + " (use count_non_null(" + column + ") to count non-null values)");
    }
    boolean takesK = function == AggregationFunction.FIRST_K || function == AggregationFunction.LAST_K;
    if (takesK && (k < 1 || k > MAX_K)) {
      throw new InvalidDefinitionException(
          "Cannot define " + function.yamlName() + "(" + column + ", " + k + "): k must be between 1 and "
              + MAX_K);
    }
    if (!takesK && k != 0) {
      throw new InvalidDefinitionException(
          "Cannot define " + function.yamlName() + ": only first_k and last_k take k");
    }
    boolean takesQuantile = function == AggregationFunction.APPROX_PERCENTILE;
    if (takesQuantile && !(quantile >= 0.0 && quantile <= 1.0)) {
      throw new InvalidDefinitionException(
          "Cannot define approx_percentile(" + column + ", " + quantile
              + "): the quantile must be between 0 and 1 (0.99 is the 99th percentile)");
    }
    if (!takesQuantile && !Double.isNaN(quantile)) {
      throw new InvalidDefinitionException(
          "Cannot define " + function.yamlName() + ": only approx_percentile takes a quantile");
    }
  }

  /** A function that takes no parameter besides its column. */
  public static Aggregation of(AggregationFunction function, String column) {
    return new Aggregation(function, column, 0, Double.NaN);
  }

  public static Aggregation count() {
    return of(AggregationFunction.COUNT, null);
  }

  public static Aggregation countNonNull(String column) {
    return of(AggregationFunction.COUNT_NON_NULL, column);
  }

  public static Aggregation sum(String column) {
    return of(AggregationFunction.SUM, column);
  }

  public static Aggregation mean(String column) {
    return of(AggregationFunction.MEAN, column);
  }

  public static Aggregation min(String column) {
    return of(AggregationFunction.MIN, column);
  }

  public static Aggregation max(String column) {
    return of(AggregationFunction.MAX, column);
  }

  public static Aggregation firstK(String column, int k) {
    return new Aggregation(AggregationFunction.FIRST_K, column, k, Double.NaN);
  }

  public static Aggregation lastK(String column, int k) {
    return new Aggregation(AggregationFunction.LAST_K, column, k, Double.NaN);
  }

  public static Aggregation approxPercentile(String column, double quantile) {
    return new Aggregation(AggregationFunction.APPROX_PERCENTILE, column, 0, quantile);
  }

  /** The definition-file spelling, for example {@code last_k(merchant, 5)}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(function.yamlName()).append('(');
    if (column != null) {
      text.append(column);
    }
    if (k != 0) {
      text.append(", ").append(k);
    }
    if (!Double.isNaN(quantile)) {
      text.append(", ").append(quantile);
    }
    return text.append(')').toString();
  }
}
