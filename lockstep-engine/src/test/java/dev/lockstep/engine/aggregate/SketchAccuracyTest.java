package dev.lockstep.engine.aggregate;

import static dev.lockstep.engine.ResultAssertions.DISTINCT_ERROR;
import static dev.lockstep.engine.ResultAssertions.PERCENTILE_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documented error bounds of the two sketches, at cardinalities that push HyperLogLog out of
 * its exact list mode, and their order independence there.
 */
class SketchAccuracyTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 150, 1_000, 10_000, 60_000})
  void distinctCountIsWithinItsBoundAndOrderFree(int distinct) {
    SplittableRandom random = new SplittableRandom(distinct);
    for (ValueType type : ValueType.values()) {
      List<OracleEvent> events = new ArrayList<>();
      for (int i = 0; i < distinct * 2; i++) {
        int id = i < distinct ? i : random.nextInt(distinct);
        Object value = switch (type) {
          case LONG -> (long) id * 7919;
          case DOUBLE -> id / 8.0;
          case STRING -> "merchant-" + id;
        };
        events.add(new OracleEvent(i, i, i, value));
      }
      Aggregation aggregation = Aggregation.of(dev.lockstep.api.AggregationFunction.APPROX_COUNT_DISTINCT, "v");
      Aggregator<?, ?> aggregator = Aggregators.create(aggregation, type);
      long estimate = (Long) AlgebraLaws.finish(aggregator, AlgebraLaws.aggregate(aggregator, events));
      assertThat((double) estimate).as(type + " estimate of " + distinct)
          .isBetween(distinct * (1 - DISTINCT_ERROR), distinct * (1 + DISTINCT_ERROR));
      if (distinct <= 100) {
        assertThat(estimate).as("list mode is exact for small counts").isEqualTo(distinct);
      }
      Collections.shuffle(events, new Random(distinct));
      assertThat(AlgebraLaws.finish(aggregator, merged(aggregator, events, 7))).isEqualTo(estimate);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 17, 1_000, 50_000})
  void percentileIsWithinOnePercentOfTheExactLowerQuantile(int count) {
    SplittableRandom random = new SplittableRandom(count * 31L);
    List<OracleEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double value = switch (i % 4) {
        case 0 -> Math.exp(random.nextGaussian() * 2 + 3); // log-normal amounts
        case 1 -> -Math.exp(random.nextGaussian()); // refunds
        case 2 -> 0.0;
        default -> Math.round(random.nextDouble(0, 10_000)) / 100.0;
      };
      events.add(new OracleEvent(i, i, i, value));
    }
    for (double quantile : new double[] {0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 1.0}) {
      Aggregation aggregation = Aggregation.approxPercentile("v", quantile);
      Aggregator<?, ?> aggregator = Aggregators.create(aggregation, ValueType.DOUBLE);
      double estimate = (Double) AlgebraLaws.finish(aggregator, AlgebraLaws.aggregate(aggregator, events));
      double exact = (Double) NaiveOracle.evaluate(aggregation, ValueType.DOUBLE, Window.lifetime(),
          PointInTimeMode.EVENT_TIME, events, Long.MAX_VALUE);
      assertThat(Math.abs(estimate - exact)).as("q=" + quantile + " of " + count + ": " + estimate + " vs " + exact)
          .isLessThanOrEqualTo(Math.abs(exact) * PERCENTILE_ERROR);
      List<OracleEvent> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(count));
      Object reordered = AlgebraLaws.finish(aggregator, merged(aggregator, shuffled, 5));
      assertThat(Double.doubleToRawLongBits((Double) reordered)).isEqualTo(Double.doubleToRawLongBits(estimate));
    }
  }

  private static <P> P merged(Aggregator<P, ?> aggregator, List<OracleEvent> events, int parts) {
    P result = aggregator.init();
    int size = events.size();
    for (int part = 0; part < parts; part++) {
      aggregator.merge(result, AlgebraLaws.aggregate(aggregator,
          events.subList(part * size / parts, (part + 1) * size / parts)));
    }
    return result;
  }
}
