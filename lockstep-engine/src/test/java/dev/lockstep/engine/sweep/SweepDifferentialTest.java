package dev.lockstep.engine.sweep;

import static dev.lockstep.engine.ResultAssertions.assertMatchesOracle;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.TestData;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sweep against the naive oracle over seeded random entities: every function and input type,
 * sliding and lifetime windows with random sizes and hops, nulls, duplicate times, events on hop
 * boundaries and at query times, late ingestion, queries before the first event; both modes.
 */
class SweepDifferentialTest {
  private static final int TRIALS = 600;

  @ParameterizedTest
  @EnumSource(PointInTimeMode.class)
  void matchesTheOracle(PointInTimeMode mode) {
    for (int trial = 0; trial < TRIALS; trial++) {
      long seed = 0x5EED_0000L + trial * 7919L + mode.ordinal();
      SplittableRandom random = new SplittableRandom(seed);
      ValueType type = ValueType.values()[random.nextInt(3)];
      long span = 1 + random.nextLong(5_000);
      int eventCount = random.nextInt(6) == 0 ? 0 : random.nextInt(1, 120);
      List<FeatureSpec> specs = new ArrayList<>();
      for (int f = 0; f < 6; f++) {
        specs.add(new FeatureSpec("f" + f, TestData.aggregation(random, type), TestData.window(random, span)));
      }
      long boundary = specs.get(0).window().hopMillis();
      List<OracleEvent> events = TestData.events(random, type, eventCount, random.nextDouble() * 0.4, span, boundary);
      long[] times = TestData.queryTimes(random, events, 1 + random.nextInt(40), span, boundary);

      PointInTimeSweep sweep = PointInTimeSweep.bind(TestData.schema(type), specs, mode);
      Object[][] values = sweep.evaluate(TestData.block(type, events), times);

      for (int f = 0; f < specs.size(); f++) {
        Aggregation aggregation = specs.get(f).aggregation();
        Window window = specs.get(f).window();
        for (int q = 0; q < times.length; q++) {
          Object expected = NaiveOracle.evaluate(aggregation, type, window, mode, events, times[q]);
          assertMatchesOracle(aggregation, expected, values[f][q], "seed " + Long.toHexString(seed) + " "
              + aggregation + " over " + type + " window " + window + " at t=" + times[q] + " " + mode);
        }
      }
    }
  }
}
