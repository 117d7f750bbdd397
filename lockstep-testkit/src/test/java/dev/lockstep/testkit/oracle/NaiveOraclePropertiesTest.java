package dev.lockstep.testkit.oracle;

import static dev.lockstep.api.PointInTimeMode.AS_OF_INGEST;
import static dev.lockstep.api.PointInTimeMode.EVENT_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.testkit.data.RandomEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties that must hold on adversarial random data, as a cross-check of the oracle itself. */
class NaiveOraclePropertiesTest {
  private static final Window WINDOW = Window.sliding(Duration.ofMinutes(5), Duration.ofMinutes(2));

  @Test
  void resultsDoNotDependOnTheOrderOfTheEvents() {
    for (ValueType type : ValueType.values()) {
      RandomEvents random = RandomEvents.builder(type).seed(3).extremeRate(0).nonFiniteRate(0.02).build();
      List<OracleEvent> events = random.events(300);
      List<OracleEvent> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(3));
      long[] times = random.queryTimes(events, WINDOW, 40);
      for (Aggregation aggregation : aggregations(type)) {
        for (Window window : List.of(WINDOW, Window.lifetime())) {
          assertThat(NaiveOracle.evaluateAll(aggregation, type, window, AS_OF_INGEST, shuffled, times))
              .as("%s over %s", aggregation, type)
              .isEqualTo(NaiveOracle.evaluateAll(aggregation, type, window, AS_OF_INGEST, events, times));
        }
      }
    }
  }

  @Test
  void aSlidingWindowIsTheDifferenceOfTwoLifetimes() {
    RandomEvents random = RandomEvents.builder(ValueType.LONG).seed(9).extremeRate(0).build();
    List<OracleEvent> events = random.events(400);
    Aggregation sum = Aggregation.sum("x");
    for (long t : random.queryTimes(events, WINDOW, 200)) {
      long start = NaiveOracle.windowStart(WINDOW, t);
      long lifetime = (Long) NaiveOracle.evaluate(sum, ValueType.LONG, Window.lifetime(), EVENT_TIME, events, t);
      long before = (Long) NaiveOracle.evaluate(sum, ValueType.LONG, Window.lifetime(), EVENT_TIME, events, start);
      assertThat(NaiveOracle.evaluate(sum, ValueType.LONG, WINDOW, EVENT_TIME, events, t)).isEqualTo(lifetime - before);
    }
  }

  @Test
  void countsMinimaAndMaximaAreConsistent() {
    RandomEvents random = RandomEvents.builder(ValueType.DOUBLE).seed(4).build();
    List<OracleEvent> events = random.events(400);
    for (long t : random.queryTimes(events, WINDOW, 100)) {
      long all = (Long) NaiveOracle.evaluate(Aggregation.count(), null, WINDOW, EVENT_TIME, events, t);
      long ingested = (Long) NaiveOracle.evaluate(Aggregation.count(), null, WINDOW, AS_OF_INGEST, events, t);
      long nonNull = (Long) evaluate(Aggregation.countNonNull("x"), events, t);
      assertThat(ingested).isLessThanOrEqualTo(all);
      assertThat(nonNull).isLessThanOrEqualTo(all);
      Double min = (Double) evaluate(Aggregation.min("x"), events, t);
      Double max = (Double) evaluate(Aggregation.max("x"), events, t);
      Double median = (Double) evaluate(Aggregation.approxPercentile("x", 0.5), events, t);
      if (nonNull == 0) {
        assertThat(min).isNull();
        continue;
      }
      assertThat(Double.compare(min, median)).isNotPositive();
      assertThat(Double.compare(median, max)).isNotPositive();
      assertThat((Double) evaluate(Aggregation.of(AggregationFunction.VAR_POP, "x"), events, t)).isNotNegative();
      assertThat((Long) evaluate(Aggregation.of(AggregationFunction.APPROX_COUNT_DISTINCT, "x"), events, t))
          .isBetween(1L, nonNull);
    }
  }

  private static Object evaluate(Aggregation aggregation, List<OracleEvent> events, long t) {
    return NaiveOracle.evaluate(aggregation, ValueType.DOUBLE, WINDOW, EVENT_TIME, events, t);
  }

  private static List<Aggregation> aggregations(ValueType type) {
    List<Aggregation> aggregations = new ArrayList<>();
    for (AggregationFunction function : AggregationFunction.values()) {
      boolean numeric = switch (function) {
        case SUM, MEAN, VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP, APPROX_PERCENTILE -> true;
        default -> false;
      };
      if (numeric && type == ValueType.STRING) {
        continue;
      }
      aggregations.add(switch (function) {
        case COUNT -> Aggregation.count();
        case FIRST_K -> Aggregation.firstK("x", 3);
        case LAST_K -> Aggregation.lastK("x", 3);
        case APPROX_PERCENTILE -> Aggregation.approxPercentile("x", 0.9);
        default -> Aggregation.of(function, "x");
      });
    }
    return aggregations;
  }
}
