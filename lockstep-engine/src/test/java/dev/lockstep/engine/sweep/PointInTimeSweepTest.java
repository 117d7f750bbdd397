package dev.lockstep.engine.sweep;

import static dev.lockstep.engine.ResultAssertions.sameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.TestData;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.EventSchema;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PointInTimeSweepTest {
  private static final EventSchema PAYMENTS = EventSchema.of("amount", ValueType.DOUBLE, "merchant", ValueType.STRING);
  private static final Window TEN_MINUTES = Window.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5));
  private static final long MINUTE = 60_000;

  @Test
  void followsTheWindowRuleAtItsEdges() {
    // Window 10m, hop 5m at t = 17m: floor_5m(7m) = 5m, so events in [5m, 17m) count.
    EventBlock events = new EventBlock(PAYMENTS);
    long[] times = {5 * MINUTE - 1, 5 * MINUTE, 12 * MINUTE, 17 * MINUTE, 17 * MINUTE};
    for (int i = 0; i < times.length; i++) {
      int row = events.append(times[i], times[i], i);
      events.setDouble(0, row, i + 1);
    }
    PointInTimeSweep sweep = PointInTimeSweep.bind(PAYMENTS, List.of(
        new FeatureSpec("n", Aggregation.count(), TEN_MINUTES),
        new FeatureSpec("total", Aggregation.sum("amount"), TEN_MINUTES),
        new FeatureSpec("last", Aggregation.of(AggregationFunction.LAST, "amount"), TEN_MINUTES)), PointInTimeMode.EVENT_TIME);
    Object[][] values = sweep.evaluate(events, new long[] {17 * MINUTE, 17 * MINUTE + 1, 0, 5 * MINUTE});
    assertThat(values[0]).containsExactly(2L, 4L, 0L, 1L);
    assertThat(values[1]).containsExactly(5.0, 14.0, 0.0, 1.0);
    assertThat(values[2]).containsExactly(3.0, 5.0, null, 1.0);
  }

  @Test
  void asOfIngestSeesOnlyWhatWasIngestedBeforeT() {
    EventBlock events = new EventBlock(PAYMENTS);
    int early = events.append(MINUTE, MINUTE + 10, 1);
    events.setDouble(0, early, 10.0);
    int late = events.append(2 * MINUTE, 30 * MINUTE, 2); // arrives 28 minutes late
    events.setDouble(0, late, 99.0);
    List<FeatureSpec> features = List.of(new FeatureSpec("max", Aggregation.max("amount"), Window.lifetime()));
    long[] times = {3 * MINUTE, 30 * MINUTE, 30 * MINUTE + 1};
    assertThat(PointInTimeSweep.bind(PAYMENTS, features, PointInTimeMode.EVENT_TIME).evaluate(events, times)[0])
        .containsExactly(99.0, 99.0, 99.0);
    assertThat(PointInTimeSweep.bind(PAYMENTS, features, PointInTimeMode.AS_OF_INGEST).evaluate(events, times)[0])
        .containsExactly(10.0, 10.0, 99.0);
  }

  @Test
  void sharingStatesUnsortedInputAndQueryOrderChangeNoBit() {
    for (int trial = 0; trial < 200; trial++) {
      SplittableRandom random = new SplittableRandom(0x5A4EL + trial);
      ValueType type = random.nextBoolean() ? ValueType.DOUBLE : ValueType.LONG;
      Window window = TestData.window(random, 2_000);
      List<FeatureSpec> together = new ArrayList<>();
      for (AggregationFunction function : List.of(AggregationFunction.SUM, AggregationFunction.MEAN,
          AggregationFunction.VAR_SAMP, AggregationFunction.STDDEV_POP, AggregationFunction.MAX)) {
        together.add(new FeatureSpec(function.yamlName(), Aggregation.of(function, "v"), window));
      }
      List<OracleEvent> events = TestData.events(random, type, random.nextInt(100), 0.1, 2_000, window.hopMillis());
      long[] times = TestData.queryTimes(random, events, 30, 2_000, window.hopMillis());
      PointInTimeMode mode = PointInTimeMode.values()[random.nextInt(2)];
      Object[][] shared = PointInTimeSweep.bind(TestData.schema(type), together, mode)
          .evaluate(TestData.block(type, events), times);

      List<OracleEvent> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(trial));
      for (int f = 0; f < together.size(); f++) {
        Object[] alone = PointInTimeSweep.bind(TestData.schema(type), List.of(together.get(f)), mode)
            .evaluate(TestData.block(type, shuffled), times)[0];
        for (int q = 0; q < times.length; q++) {
          assertThat(sameBits(shared[f][q], alone[q]))
              .as("trial %d %s at %d: shared %s, alone %s", trial, together.get(f).name(), times[q], shared[f][q], alone[q])
              .isTrue();
        }
      }
    }
  }

  @Test
  void bindingErrorsNameTheFeatureAndTheFix() {
    assertThatThrownBy(() -> bind(new FeatureSpec("spend", Aggregation.sum("amont"), TEN_MINUTES)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot bind feature 'spend' (sum(amont)): column 'amont' does not exist (columns: amount, merchant)");
    assertThatThrownBy(() -> bind(new FeatureSpec("avg_merchant", Aggregation.mean("merchant"), TEN_MINUTES)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot bind feature 'avg_merchant': mean(merchant): mean needs a long or double column and"
            + " merchant is string (use count_non_null, approx_count_distinct, min, max, first or last on strings)");
    assertThatThrownBy(() -> bind(new FeatureSpec("n", Aggregation.count(), TEN_MINUTES),
        new FeatureSpec("n", Aggregation.max("amount"), TEN_MINUTES)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot bind feature 'n': the name is used twice (rename one)");
  }

  private static PointInTimeSweep bind(FeatureSpec... specs) {
    return PointInTimeSweep.bind(PAYMENTS, List.of(specs), PointInTimeMode.EVENT_TIME);
  }
}
