package dev.lockstep.engine.aggregate;

import static dev.lockstep.engine.ResultAssertions.assertMatchesOracle;
import static dev.lockstep.engine.ResultAssertions.sameBits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.TestData;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The laws every aggregator must keep, over seeded random multisets: any order, any split merged in
 * any order, copies, and (for invertible ones) subtraction give results with identical bits, equal
 * to the oracle's.
 */
class AggregatorAlgebraTest {
  private static final int TRIALS = 1_500;

  @Test
  void orderAndSplitDoNotChangeTheBits() {
    for (int trial = 0; trial < TRIALS; trial++) {
      long seed = 0xA16EB4AL + trial;
      SplittableRandom random = new SplittableRandom(seed);
      ValueType type = ValueType.values()[random.nextInt(3)];
      Aggregation aggregation = TestData.aggregation(random, type);
      Aggregator<?, ?> aggregator = Aggregators.create(aggregation, type);
      List<OracleEvent> events = TestData.events(random, type, random.nextInt(200), 0.2, 10_000, 100);
      String context = "seed " + Long.toHexString(seed) + " " + aggregation + " over " + type;

      Object inOrder = AlgebraLaws.finish(aggregator, AlgebraLaws.aggregate(aggregator, events));
      Object expected = NaiveOracle.evaluate(aggregation, type, Window.lifetime(), PointInTimeMode.EVENT_TIME,
          events, Long.MAX_VALUE);
      assertMatchesOracle(aggregation, expected, inOrder, context);

      List<OracleEvent> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(seed));
      Object reordered = AlgebraLaws.finish(aggregator, AlgebraLaws.aggregate(aggregator, shuffled));
      assertThat(sameBits(inOrder, reordered)).as(context + ": shuffled gave " + reordered + ", not " + inOrder).isTrue();

      Object merged = AlgebraLaws.finish(aggregator, splitAndMerge(aggregator, shuffled, random));
      assertThat(sameBits(inOrder, merged)).as(context + ": split and merged gave " + merged + ", not " + inOrder).isTrue();
    }
  }

  @Test
  void copiesAreIndependent() {
    for (int trial = 0; trial < 300; trial++) {
      SplittableRandom random = new SplittableRandom(0xC0B1L + trial);
      ValueType type = ValueType.values()[random.nextInt(3)];
      checkCopy(Aggregators.create(TestData.aggregation(random, type), type), random, type);
    }
  }

  private static <P> void checkCopy(Aggregator<P, ?> aggregator, SplittableRandom random, ValueType type) {
    List<OracleEvent> events = TestData.events(random, type, 1 + random.nextInt(50), 0.1, 1_000, 10);
    P original = AlgebraLaws.aggregate(aggregator, events.subList(0, events.size() / 2));
    Object before = aggregator.finish(original);
    P copy = aggregator.copy(original);
    for (OracleEvent event : events.subList(events.size() / 2, events.size())) {
      AlgebraLaws.add(aggregator, copy, event);
    }
    assertThat(sameBits(before, aggregator.finish(original)))
        .as(aggregator.aggregation() + ": adding to a copy changed the original").isTrue();
  }

  @Test
  void subtractingAPartLeavesExactlyTheRest() {
    int checked = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      long seed = 0x5AB7L + trial;
      SplittableRandom random = new SplittableRandom(seed);
      ValueType type = ValueType.values()[random.nextInt(2)];
      Aggregator<?, ?> aggregator = Aggregators.create(TestData.aggregation(random, type), type);
      if (aggregator.invertible()) {
        checkSubtraction(aggregator, random, type, "seed " + Long.toHexString(seed));
        checked++;
      }
    }
    assertThat(checked).as("invertible aggregators exercised").isGreaterThan(TRIALS / 5);
  }

  private static <P> void checkSubtraction(Aggregator<P, ?> aggregator, SplittableRandom random, ValueType type,
      String context) {
    List<OracleEvent> events = TestData.events(random, type, random.nextInt(100), 0.1, 10_000, 100);
    int cut = events.isEmpty() ? 0 : random.nextInt(events.size() + 1);
    P rest = AlgebraLaws.aggregate(aggregator, events.subList(cut, events.size()));
    P part = AlgebraLaws.aggregate(aggregator, events.subList(0, cut));
    P all = AlgebraLaws.aggregate(aggregator, events);
    aggregator.subtract(all, part);
    Object expected = aggregator.finish(rest);
    Object actual = aggregator.finish(all);
    assertThat(sameBits(expected, actual))
        .as(context + " " + aggregator.aggregation() + ": all − part gave " + actual + ", rest is " + expected)
        .isTrue();
  }

  @Test
  void removingSingleEventsLeavesExactlyTheRest() {
    int checked = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      long seed = 0x4E30L + trial;
      SplittableRandom random = new SplittableRandom(seed);
      ValueType type = ValueType.values()[random.nextInt(2)];
      Aggregator<?, ?> aggregator = Aggregators.create(TestData.aggregation(random, type), type);
      if (aggregator.invertible()) {
        checkRemoval(aggregator, random, type, "seed " + Long.toHexString(seed));
        checked++;
      }
    }
    assertThat(checked).as("invertible aggregators exercised").isGreaterThan(TRIALS / 5);
  }

  private static <P> void checkRemoval(Aggregator<P, ?> aggregator, SplittableRandom random, ValueType type,
      String context) {
    List<OracleEvent> events = new ArrayList<>(TestData.events(random, type, random.nextInt(100), 0.1, 10_000, 100));
    if (random.nextInt(4) == 0 && type == ValueType.DOUBLE) {
      events.add(new OracleEvent(1, 1, -1, random.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY));
    }
    P all = AlgebraLaws.aggregate(aggregator, events);
    List<OracleEvent> kept = new ArrayList<>();
    for (OracleEvent event : events) {
      if (random.nextBoolean()) {
        kept.add(event);
      } else {
        remove(aggregator, all, event);
      }
    }
    P rest = AlgebraLaws.aggregate(aggregator, kept);
    assertThat(sameBits(aggregator.finish(rest), aggregator.finish(all)))
        .as(context + " " + aggregator.aggregation() + ": removing events one by one").isTrue();
    assertThat(dev.lockstep.engine.codec.PartialCodec.encode(aggregator, all))
        .as(context + ": the state itself is the same, byte for byte")
        .isEqualTo(dev.lockstep.engine.codec.PartialCodec.encode(aggregator, rest));
  }

  private static <P> void remove(Aggregator<P, ?> aggregator, P partial, OracleEvent event) {
    if (aggregator.inputType() == null) {
      aggregator.removeEvent(partial, event.eventTime(), event.ingestTime(), event.sequence());
    } else if (event.value() instanceof Long value) {
      aggregator.removeLong(partial, value, event.eventTime(), event.ingestTime(), event.sequence());
    } else if (event.value() instanceof Double value) {
      aggregator.removeDouble(partial, value, event.eventTime(), event.ingestTime(), event.sequence());
    }
  }

  /** Splits into 1..5 random parts, aggregates each, merges them in random order. */
  private static <P> P splitAndMerge(Aggregator<P, ?> aggregator, List<OracleEvent> events, SplittableRandom random) {
    int parts = 1 + random.nextInt(5);
    List<P> partials = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      partials.add(aggregator.init());
    }
    for (OracleEvent event : events) {
      AlgebraLaws.add(aggregator, partials.get(random.nextInt(parts)), event);
    }
    Collections.shuffle(partials, new Random(random.nextLong()));
    P result = aggregator.init();
    for (P partial : partials) {
      aggregator.merge(result, partial);
    }
    return result;
  }
}
