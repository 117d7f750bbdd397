package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import java.util.EnumSet;
import java.util.Set;

/** Binds an {@link Aggregation} to the type of its input column. */
public final class Aggregators {
  private static final Set<ValueType> NUMBERS = EnumSet.of(ValueType.LONG, ValueType.DOUBLE);
  private static final Set<ValueType> ANY = EnumSet.allOf(ValueType.class);

  private Aggregators() {}

  /**
   * The aggregator computing {@code aggregation} over a column of {@code inputType}.
   *
   * @param inputType the column's type; ignored (may be null) for {@code count}
   * @throws InvalidDefinitionException if the function does not accept that type
   */
  public static Aggregator<?, ?> create(Aggregation aggregation, ValueType inputType) {
    AggregationFunction function = aggregation.function();
    if (function == AggregationFunction.COUNT) {
      return new CountAggregator(aggregation, null);
    }
    if (inputType == null) {
      throw new InvalidDefinitionException(
          "Cannot bind " + aggregation + ": the type of column " + aggregation.column() + " is unknown");
    }
    if (!acceptedTypes(function).contains(inputType)) {
      throw new InvalidDefinitionException(
          "Cannot bind " + aggregation + ": " + function.yamlName() + " needs a long or double column and "
              + aggregation.column() + " is " + inputType.yamlName()
              + " (use count_non_null, approx_count_distinct, min, max, first or last on strings)");
    }
    return switch (function) {
      case COUNT_NON_NULL -> new CountAggregator(aggregation, inputType);
      case SUM, MEAN, VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP ->
          new MomentsAggregator(aggregation, inputType);
      case MIN, MAX, FIRST, LAST -> new PickAggregator(aggregation, inputType);
      case FIRST_K, LAST_K -> new OrderedValuesAggregator(aggregation, inputType);
      case APPROX_COUNT_DISTINCT -> new DistinctCountAggregator(aggregation, inputType);
      case APPROX_PERCENTILE -> new PercentileAggregator(aggregation, inputType);
      case COUNT -> throw new AssertionError(function);
    };
  }

  /** The column types {@code function} accepts. */
  public static Set<ValueType> acceptedTypes(AggregationFunction function) {
    return switch (function) {
      case SUM, MEAN, VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP, APPROX_PERCENTILE -> NUMBERS;
      default -> ANY;
    };
  }
}
