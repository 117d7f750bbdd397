package dev.lockstep.api;

import java.util.Locale;

/**
 * The aggregation functions of docs/architecture.md "Semantics", with their result on an empty window. Every
 * function skips null inputs except {@link #COUNT}, which counts events.
 */
public enum AggregationFunction {
  /** Number of events, nulls included. Empty: 0. */
  COUNT(false),
  /** Number of non-null values. Empty: 0. */
  COUNT_NON_NULL(true),
  /** Exact sum, rounded once. Empty: 0. */
  SUM(true),
  /** Exact mean, rounded once. Empty: null. */
  MEAN(true),
  /** Smallest value. Empty: null. */
  MIN(true),
  /** Largest value. Empty: null. */
  MAX(true),
  /** Sample variance (n - 1), exact and rounded once. Null when n &lt; 2. */
  VAR_SAMP(true),
  /** Population variance (n), exact and rounded once. Null when n = 0. */
  VAR_POP(true),
  /** Square root of the exact sample variance, rounded once. Null when n &lt; 2. */
  STDDEV_SAMP(true),
  /** Square root of the exact population variance, rounded once. Null when n = 0. */
  STDDEV_POP(true),
  /** Value of the oldest event. Empty: null. */
  FIRST(true),
  /** Value of the newest event. Empty: null. */
  LAST(true),
  /** Values of the k oldest events, oldest first. Empty: an empty list. */
  FIRST_K(true),
  /** Values of the k newest events, newest first. Empty: an empty list. */
  LAST_K(true),
  /** Approximate number of distinct values (HyperLogLog). Empty: 0. */
  APPROX_COUNT_DISTINCT(true),
  /** Approximate p-quantile with a bounded relative error (DDSketch). Empty: null. */
  APPROX_PERCENTILE(true);

  private final boolean needsColumn;

  AggregationFunction(boolean needsColumn) {
    this.needsColumn = needsColumn;
  }

  /** Whether the function reads a column; {@link #COUNT} counts events and reads none. */
  public boolean needsColumn() {
    return needsColumn;
  }

  /** The name used in definition files, for example {@code var_samp}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Looks up a function by its definition-file name, case-insensitively.
   *
   * @throws InvalidDefinitionException if no function has that name
   */
  public static AggregationFunction forName(String name) {
    AggregationFunction function = ByName.FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
    if (function != null) {
      return function;
    }
    throw new InvalidDefinitionException(
        "Cannot resolve aggregation '" + name + "': unknown function (use one of "
            + java.util.Arrays.stream(values()).map(AggregationFunction::yamlName).toList() + ")");
  }

  /** Functions by definition-file name: state decoding looks one up per tile set. */
  private static final class ByName {
    static final java.util.Map<String, AggregationFunction> FUNCTIONS = new java.util.HashMap<>();

    static {
      for (AggregationFunction function : values()) {
        FUNCTIONS.put(function.yamlName(), function);
      }
    }
  }
}
