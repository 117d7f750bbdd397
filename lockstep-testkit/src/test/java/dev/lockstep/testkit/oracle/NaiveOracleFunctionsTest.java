package dev.lockstep.testkit.oracle;

import static dev.lockstep.api.AggregationFunction.APPROX_COUNT_DISTINCT;
import static dev.lockstep.api.AggregationFunction.COUNT_NON_NULL;
import static dev.lockstep.api.AggregationFunction.FIRST;
import static dev.lockstep.api.AggregationFunction.LAST;
import static dev.lockstep.api.AggregationFunction.MAX;
import static dev.lockstep.api.AggregationFunction.MEAN;
import static dev.lockstep.api.AggregationFunction.MIN;
import static dev.lockstep.api.AggregationFunction.STDDEV_POP;
import static dev.lockstep.api.AggregationFunction.STDDEV_SAMP;
import static dev.lockstep.api.AggregationFunction.SUM;
import static dev.lockstep.api.AggregationFunction.VAR_POP;
import static dev.lockstep.api.AggregationFunction.VAR_SAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-function rules: nulls, empty windows, result types, orders, distinct counts, quantiles. */
class NaiveOracleFunctionsTest {

  @Test
  void emptyWindowsGiveTheDesignResults() {
    List<OracleEvent> none = List.of();
    assertThat(evaluate(Aggregation.count(), null, none)).isEqualTo(0L);
    assertThat(evaluate(Aggregation.countNonNull("x"), ValueType.STRING, none)).isEqualTo(0L);
    assertThat(evaluate(Aggregation.sum("x"), ValueType.LONG, none)).isEqualTo(0L);
    assertThat(evaluate(Aggregation.sum("x"), ValueType.DOUBLE, none)).isEqualTo(0.0);
    for (AggregationFunction function : List.of(MEAN, MIN, MAX, FIRST, LAST, VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP)) {
      assertThat(evaluate(Aggregation.of(function, "x"), ValueType.DOUBLE, none)).as("%s", function).isNull();
    }
    assertThat(evaluate(Aggregation.firstK("x", 3), ValueType.LONG, none)).isEqualTo(List.of());
    assertThat(evaluate(Aggregation.lastK("x", 3), ValueType.LONG, none)).isEqualTo(List.of());
    assertThat(evaluate(Aggregation.of(APPROX_COUNT_DISTINCT, "x"), ValueType.STRING, none)).isEqualTo(0L);
    assertThat(evaluate(Aggregation.approxPercentile("x", 0.5), ValueType.DOUBLE, none)).isNull();
  }

  @Test
  void onlyNullValuesCountAsEventsButAreOtherwiseEmpty() {
    List<OracleEvent> nulls = events((Object) null, null);
    assertThat(evaluate(Aggregation.count(), null, nulls)).isEqualTo(2L);
    assertThat(evaluate(Aggregation.countNonNull("x"), ValueType.DOUBLE, nulls)).isEqualTo(0L);
    assertThat(evaluate(Aggregation.sum("x"), ValueType.DOUBLE, nulls)).isEqualTo(0.0);
    assertThat(evaluate(Aggregation.of(FIRST, "x"), ValueType.DOUBLE, nulls)).isNull();
    assertThat(evaluate(Aggregation.lastK("x", 2), ValueType.DOUBLE, nulls)).isEqualTo(List.of());
  }

  @Test
  void nullsAreSkippedByEveryFunctionButCount() {
    List<OracleEvent> events = events(null, 4L, null, 2L, null);
    assertThat(evaluate(Aggregation.count(), null, events)).isEqualTo(5L);
    assertThat(evaluate(Aggregation.countNonNull("x"), ValueType.LONG, events)).isEqualTo(2L);
    assertThat(evaluate(Aggregation.of(FIRST, "x"), ValueType.LONG, events)).isEqualTo(4L);
    assertThat(evaluate(Aggregation.of(LAST, "x"), ValueType.LONG, events)).isEqualTo(2L);
    assertThat(evaluate(Aggregation.mean("x"), ValueType.LONG, events)).isEqualTo(3.0);
    assertThat(evaluate(Aggregation.of(VAR_SAMP, "x"), ValueType.LONG, events)).isEqualTo(2.0);
    assertThat(evaluate(Aggregation.firstK("x", 5), ValueType.LONG, events)).isEqualTo(List.of(4L, 2L));
    assertThat(evaluate(Aggregation.lastK("x", 1), ValueType.LONG, events)).isEqualTo(List.of(2L));
    assertThat(evaluate(Aggregation.of(APPROX_COUNT_DISTINCT, "x"), ValueType.LONG, events)).isEqualTo(2L);
  }

  @Test
  void resultTypesFollowTheInputType() {
    List<OracleEvent> longs = events(3L, 1L, 2L);
    assertThat(evaluate(Aggregation.sum("x"), ValueType.LONG, longs)).isInstanceOf(Long.class).isEqualTo(6L);
    assertThat(evaluate(Aggregation.mean("x"), ValueType.LONG, longs)).isInstanceOf(Double.class).isEqualTo(2.0);
    assertThat(evaluate(Aggregation.min("x"), ValueType.LONG, longs)).isEqualTo(1L);
    assertThat(evaluate(Aggregation.max("x"), ValueType.LONG, longs)).isEqualTo(3L);
    assertThat(evaluate(Aggregation.of(VAR_POP, "x"), ValueType.LONG, longs)).isEqualTo(2.0 / 3.0);
    assertThat(evaluate(Aggregation.approxPercentile("x", 1.0), ValueType.LONG, longs)).isEqualTo(3.0);
    assertThat(evaluate(Aggregation.min("x"), ValueType.DOUBLE, events(2.5, -1.5))).isEqualTo(-1.5);
    assertThat(evaluate(Aggregation.of(LAST, "x"), ValueType.STRING, events("x", "y"))).isEqualTo("y");
  }

  @Test
  void singleValueVariances() {
    List<OracleEvent> one = events(7.0);
    assertThat(evaluate(Aggregation.of(VAR_POP, "x"), ValueType.DOUBLE, one)).isEqualTo(0.0);
    assertThat(evaluate(Aggregation.of(STDDEV_POP, "x"), ValueType.DOUBLE, one)).isEqualTo(0.0);
    assertThat(evaluate(Aggregation.of(VAR_SAMP, "x"), ValueType.DOUBLE, one)).isNull();
    assertThat(evaluate(Aggregation.of(STDDEV_SAMP, "x"), ValueType.DOUBLE, one)).isNull();
    // the n < 2 rule comes before the NaN rule
    assertThat(evaluate(Aggregation.of(VAR_SAMP, "x"), ValueType.DOUBLE, events(Double.NaN))).isNull();
  }

  @Test
  void doublesAreOrderedByDoubleCompare() {
    List<OracleEvent> zeros = events(0.0, -0.0, 0.0);
    assertThat(Double.doubleToRawLongBits((Double) evaluate(Aggregation.min("x"), ValueType.DOUBLE, zeros)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(Double.doubleToRawLongBits((Double) evaluate(Aggregation.max("x"), ValueType.DOUBLE, zeros)))
        .isEqualTo(Double.doubleToRawLongBits(0.0));
    List<OracleEvent> specials = events(1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    assertThat(evaluate(Aggregation.max("x"), ValueType.DOUBLE, specials)).isEqualTo(Double.NaN);
    assertThat(evaluate(Aggregation.min("x"), ValueType.DOUBLE, specials)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(evaluate(Aggregation.approxPercentile("x", 1.0), ValueType.DOUBLE, specials)).isEqualTo(Double.NaN);
    assertThat(evaluate(Aggregation.approxPercentile("x", 0.5), ValueType.DOUBLE, specials)).isEqualTo(1.0);
  }

  @Test
  void stringsAreOrderedByCodePointNotByUtf16Unit() {
    String replacement = "\uFFFD";
    String grinning = "\uD83D\uDE00"; // U+1F600, a supplementary character
    assertThat(replacement.compareTo(grinning)).as("String.compareTo disagrees").isPositive();
    List<OracleEvent> events = events(replacement, grinning, "a", "ab", "", "\u00E9");
    assertThat(evaluate(Aggregation.max("x"), ValueType.STRING, events)).isEqualTo(grinning);
    assertThat(evaluate(Aggregation.min("x"), ValueType.STRING, events)).isEqualTo("");
    assertThat(evaluate(Aggregation.max("x"), ValueType.STRING, events("a", "ab"))).isEqualTo("ab");
    assertThat(evaluate(Aggregation.min("x"), ValueType.STRING, events(grinning, "\uE000"))).isEqualTo("\uE000");
  }

  @Test
  void distinctCountUsesDoubleEqualsSemantics() {
    // 0.0 and -0.0 differ, every NaN is the same value
    List<OracleEvent> doubles = events(0.0, -0.0, Double.NaN, Double.NaN, 1.0, 1.0, null);
    assertThat(evaluate(Aggregation.of(APPROX_COUNT_DISTINCT, "x"), ValueType.DOUBLE, doubles)).isEqualTo(4L);
    List<OracleEvent> strings = events("a", "a", "\u00E9", "e\u0301", null);
    assertThat(evaluate(Aggregation.of(APPROX_COUNT_DISTINCT, "x"), ValueType.STRING, strings)).isEqualTo(3L);
  }

  @Test
  void percentileIsTheLowerQuantileOfTheSortedValues() {
    List<OracleEvent> events = events(50L, 10L, null, 40L, 20L, 30L);
    assertThat(percentile(events, 0.0)).isEqualTo(10.0);
    assertThat(percentile(events, 0.24)).isEqualTo(10.0); // floor(0.96) = 0
    assertThat(percentile(events, 0.25)).isEqualTo(20.0); // floor(1.0) = 1
    assertThat(percentile(events, 0.5)).isEqualTo(30.0);
    assertThat(percentile(events, 0.99)).isEqualTo(40.0); // floor(3.96) = 3
    assertThat(percentile(events, 1.0)).isEqualTo(50.0);
    assertThat(percentile(events(7L), 0.99)).isEqualTo(7.0);
  }

  @Test
  void percentileIndexUsesTheExactProductOfTheDoubleQuantile() {
    // The double 0.29 is 0.28999999999999998002..., so 0.29 · 100 is just below 29.
    List<Object> values = new ArrayList<>();
    for (long i = 0; i <= 100; i++) {
      values.add(i);
    }
    List<OracleEvent> events = events(values.toArray());
    assertThat(percentile(events, 0.29)).isEqualTo(28.0);
    assertThat(percentile(events, 0.5)).isEqualTo(50.0);
  }

  @Test
  void rejectsValuesOfTheWrongTypeAndFunctionsThatNeedNumbers() {
    assertThatThrownBy(() -> evaluate(Aggregation.sum("x"), ValueType.LONG, events(1L, 2.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate sum(x) over long values: event OracleEvent[eventTime=1, ingestTime=1,"
            + " sequence=1, value=2.0] holds a Double");
    assertThatThrownBy(() -> evaluate(Aggregation.mean("x"), ValueType.STRING, events("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate mean(x) over string values: the function needs numbers");
    assertThatThrownBy(() -> evaluate(Aggregation.min("x"), null, events("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate min(x): the input type is required (only count takes none)");
    assertThatThrownBy(() -> new OracleEvent(0, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create an oracle event with a java.lang.Integer value: values are Long, Double,"
            + " String or null");
  }

  @Test
  void eventsMayBeGivenInAnyOrder() {
    List<OracleEvent> ordered = events(1L, 2L, 3L, 4L, 5L);
    List<OracleEvent> reversed = new ArrayList<>(ordered);
    Collections.reverse(reversed);
    for (Aggregation aggregation : List.of(Aggregation.of(FIRST, "x"), Aggregation.lastK("x", 2), Aggregation.sum("x"))) {
      assertThat(evaluate(aggregation, ValueType.LONG, reversed)).isEqualTo(evaluate(aggregation, ValueType.LONG, ordered));
    }
    assertThat(evaluate(Aggregation.of(COUNT_NON_NULL, "x"), ValueType.LONG, reversed)).isEqualTo(5L);
  }

  private static Object percentile(List<OracleEvent> events, double q) {
    return evaluate(Aggregation.approxPercentile("x", q), ValueType.LONG, events);
  }

  /** Lifetime evaluation after every event. */
  static Object evaluate(Aggregation aggregation, ValueType type, List<OracleEvent> events) {
    return NaiveOracle.evaluate(aggregation, type, Window.lifetime(), PointInTimeMode.EVENT_TIME, events, 1_000);
  }

  /** One event per value at times 0, 1, 2, ... */
  static List<OracleEvent> events(Object... values) {
    List<OracleEvent> events = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      events.add(new OracleEvent(i, i, i, values[i]));
    }
    return events;
  }
}
