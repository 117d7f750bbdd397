package dev.lockstep.testkit.oracle;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The reference implementation of docs/architecture.md "Semantics" that engine tests compare against.
 *
 * <p>It is deliberately naive and independent of the engine: every evaluation filters the raw
 * events of one entity, sorts them, and recomputes the aggregation from scratch with exact
 * arithmetic. Speed is irrelevant; obviousness is the point.
 *
 * <p>Result types: {@code count}, {@code count_non_null} and {@code approx_count_distinct} give a
 * {@link Long}; {@code sum} a Long for LONG input (exact) and a {@link Double} for DOUBLE input;
 * {@code mean}, the variances, the standard deviations and {@code approx_percentile} a Double;
 * {@code min}, {@code max}, {@code first} and {@code last} a value of the input type;
 * {@code first_k} and {@code last_k} an unmodifiable {@link List}. The two approximate functions
 * return the exact values that the sketches approximate: the number of distinct non-null values,
 * and the lower q-quantile: the value at 0-based index {@code floor(q · (n − 1))} of the sorted
 * non-null values (q · (n − 1) taken exactly), as a Double.
 *
 * <p>Orders: doubles by {@link Double#compare} ({@code -0.0 < 0.0}, NaN greatest); strings by
 * Unicode code point, not {@link String#compareTo}. Nulls are skipped by every function but
 * {@code count}. Rounded results are the exact rational rounded once, ties to even; an exact zero
 * is {@code +0.0}, while a negative result that underflows keeps its sign ({@code -0.0}), as in
 * IEEE 754. Sums and means with NaN, or with both infinities, are NaN, with one infinity that
 * infinity; variances with any non-finite value are NaN.
 */
public final class NaiveOracle {

  /** Events in the order aggregations see them: event time, then ingest time, then sequence. */
  static final Comparator<OracleEvent> EVENT_ORDER =
      Comparator.comparingLong(OracleEvent::eventTime)
          .thenComparingLong(OracleEvent::ingestTime)
          .thenComparingLong(OracleEvent::sequence);

  private NaiveOracle() {}

  /**
   * The value of an aggregation for one entity at time {@code t}.
   *
   * <p>An event is visible when {@code lower ≤ event_time < t}, where {@code lower} is
   * {@code floor_H(t − W)} for a sliding window of size W and hop H and unbounded for a lifetime
   * window; in {@link PointInTimeMode#AS_OF_INGEST} it must also have {@code ingest_time < t}.
   *
   * @param aggregation the function and its parameters (the column name is not used)
   * @param inputType the type of the values; may be null for {@code count}
   * @param events the entity's events, in any order
   * @param t the evaluation time, epoch milliseconds, exclusive
   * @throws IllegalArgumentException if a value does not match the input type, or the function
   *     does not accept the input type
   * @throws ArithmeticException if the exact sum of LONG values does not fit a long
   */
  public static Object evaluate(
      Aggregation aggregation,
      ValueType inputType,
      Window window,
      PointInTimeMode mode,
      List<OracleEvent> events,
      long t) {
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(events, "events");
    AggregationFunction function = aggregation.function();
    if (function == AggregationFunction.COUNT) {
      return (long) visible(window, mode, events, t).size();
    }
    checkInput(aggregation, inputType, events);
    List<Object> values = new ArrayList<>();
    for (OracleEvent event : visible(window, mode, events, t)) {
      if (event.value() != null) {
        values.add(event.value());
      }
    }
    return apply(aggregation, inputType, values);
  }

  /** {@link #evaluate} at each of {@code times}; element i is the value at {@code times[i]}. */
  public static Object[] evaluateAll(
      Aggregation aggregation,
      ValueType inputType,
      Window window,
      PointInTimeMode mode,
      List<OracleEvent> events,
      long[] times) {
    Object[] results = new Object[times.length];
    for (int i = 0; i < times.length; i++) {
      results[i] = evaluate(aggregation, inputType, window, mode, events, times[i]);
    }
    return results;
  }

  /**
   * The inclusive lower bound {@code floor_H(t − W)} of a sliding window at {@code t}, where
   * {@code floor_H(y)} is the largest multiple of H (from the epoch) that is ≤ y.
   *
   * @throws IllegalArgumentException for a lifetime window, which has no lower bound
   */
  public static long windowStart(Window window, long t) {
    if (window.isLifetime()) {
      throw new IllegalArgumentException("Cannot compute the start of a lifetime window: it has none");
    }
    long hop = window.hopMillis();
    return Math.multiplyExact(Math.floorDiv(Math.subtractExact(t, window.sizeMillis()), hop), hop);
  }

  /** The events visible at {@code t}, in {@link #EVENT_ORDER}. */
  static List<OracleEvent> visible(Window window, PointInTimeMode mode, List<OracleEvent> events, long t) {
    List<OracleEvent> visible = new ArrayList<>();
    for (OracleEvent event : events) {
      boolean inWindow = event.eventTime() < t
          && (window.isLifetime() || event.eventTime() >= windowStart(window, t));
      boolean ingested = mode == PointInTimeMode.EVENT_TIME || event.ingestTime() < t;
      if (inWindow && ingested) {
        visible.add(event);
      }
    }
    visible.sort(EVENT_ORDER);
    return visible;
  }

  /** Applies a function other than count to the non-null values, which are in event order. */
  private static Object apply(Aggregation aggregation, ValueType type, List<Object> values) {
    return switch (aggregation.function()) {
      case COUNT -> throw new AssertionError("count is handled before nulls are dropped");
      case COUNT_NON_NULL -> (long) values.size();
      case SUM -> NumericFunctions.sum(type, values);
      case MEAN -> NumericFunctions.mean(type, values);
      case VAR_POP -> NumericFunctions.variance(type, values, false, false);
      case VAR_SAMP -> NumericFunctions.variance(type, values, true, false);
      case STDDEV_POP -> NumericFunctions.variance(type, values, false, true);
      case STDDEV_SAMP -> NumericFunctions.variance(type, values, true, true);
      case MIN -> values.isEmpty() ? null : Collections.min(values, ValueOrder.of(type));
      case MAX -> values.isEmpty() ? null : Collections.max(values, ValueOrder.of(type));
      case FIRST -> values.isEmpty() ? null : values.get(0);
      case LAST -> values.isEmpty() ? null : values.get(values.size() - 1);
      case FIRST_K -> List.copyOf(values.subList(0, Math.min(aggregation.k(), values.size())));
      case LAST_K -> lastK(values, aggregation.k());
      case APPROX_COUNT_DISTINCT -> (long) new HashSet<>(values).size();
      case APPROX_PERCENTILE -> NumericFunctions.lowerQuantile(type, values, aggregation.quantile());
    };
  }

  /** The k newest values, newest first. */
  private static List<Object> lastK(List<Object> values, int k) {
    List<Object> newest = new ArrayList<>(values.subList(Math.max(0, values.size() - k), values.size()));
    Collections.reverse(newest);
    return List.copyOf(newest);
  }

  private static void checkInput(Aggregation aggregation, ValueType type, List<OracleEvent> events) {
    if (type == null) {
      throw new IllegalArgumentException(
          "Cannot evaluate " + aggregation + ": the input type is required (only count takes none)");
    }
    boolean numericOnly = switch (aggregation.function()) {
      case SUM, MEAN, VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP, APPROX_PERCENTILE -> true;
      default -> false;
    };
    if (numericOnly && type == ValueType.STRING) {
      throw new IllegalArgumentException(
          "Cannot evaluate " + aggregation + " over string values: the function needs numbers");
    }
    Class<?> expected = switch (type) {
      case LONG -> Long.class;
      case DOUBLE -> Double.class;
      case STRING -> String.class;
    };
    for (OracleEvent event : events) {
      if (event.value() != null && event.value().getClass() != expected) {
        throw new IllegalArgumentException(
            "Cannot evaluate " + aggregation + " over " + type.yamlName() + " values: event "
                + event + " holds a " + event.value().getClass().getSimpleName());
      }
    }
  }
}
