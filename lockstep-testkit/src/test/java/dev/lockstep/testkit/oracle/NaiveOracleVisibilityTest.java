package dev.lockstep.testkit.oracle;

import static dev.lockstep.api.PointInTimeMode.AS_OF_INGEST;
import static dev.lockstep.api.PointInTimeMode.EVENT_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events an evaluation at t sees: window bounds, point-in-time modes, event order. */
class NaiveOracleVisibilityTest {
  /** W = 10 ms, H = 4 ms: at t the window is [floor_4(t − 10), t). */
  private static final Window TEN_BY_FOUR = Window.sliding(Duration.ofMillis(10), Duration.ofMillis(4));

  @Test
  void slidingWindowIncludesItsHopAlignedTailAndExcludesItsHead() {
    // t = 23: t − W = 13, floor_4(13) = 12, so the window is [12, 23).
    List<OracleEvent> events = List.of(event(11, 1L), event(12, 2L), event(22, 3L), event(23, 4L));
    assertThat(NaiveOracle.windowStart(TEN_BY_FOUR, 23)).isEqualTo(12);
    assertThat(evaluate(Aggregation.sum("x"), ValueType.LONG, TEN_BY_FOUR, events, 23)).isEqualTo(5L);
  }

  @Test
  void slidingWindowSpansBetweenWAndWPlusH() {
    assertThat(NaiveOracle.windowStart(TEN_BY_FOUR, 24)).isEqualTo(12); // spans 12 ms
    assertThat(NaiveOracle.windowStart(TEN_BY_FOUR, 25)).isEqualTo(12); // spans 13 ms
    assertThat(NaiveOracle.windowStart(TEN_BY_FOUR, 26)).isEqualTo(16); // spans 10 ms
    List<OracleEvent> events = List.of(event(12, 1L), event(15, 1L));
    assertThat(count(TEN_BY_FOUR, events, 25)).isEqualTo(2L);
    assertThat(count(TEN_BY_FOUR, events, 26)).isEqualTo(0L);
  }

  @Test
  void negativeTimesFloorTowardsMinusInfinity() {
    // t = -5: t − W = -15, floor_4(-15) = -16 (not -12), so the window is [-16, -5).
    assertThat(NaiveOracle.windowStart(TEN_BY_FOUR, -5)).isEqualTo(-16);
    List<OracleEvent> events = List.of(event(-17, 1L), event(-16, 2L), event(-6, 4L), event(-5, 8L));
    assertThat(evaluate(Aggregation.sum("x"), ValueType.LONG, TEN_BY_FOUR, events, -5)).isEqualTo(6L);
  }

  @Test
  void realisticWindowBoundaries() {
    Window fiveMinutes = Window.sliding(Duration.ofMinutes(5)); // hop 1 minute
    long t = 1_700_000_123_456L;
    long start = Math.floorDiv(t - 300_000, 60_000) * 60_000;
    assertThat(start).isEqualTo(1_699_999_800_000L);
    List<OracleEvent> events =
        List.of(event(start - 1, 1L), event(start, 10L), event(t - 1, 100L), event(t, 1000L));
    assertThat(evaluate(Aggregation.sum("x"), ValueType.LONG, fiveMinutes, events, t)).isEqualTo(110L);
  }

  @Test
  void lifetimeWindowSeesEveryEarlierEvent() {
    List<OracleEvent> events = List.of(event(Long.MIN_VALUE / 2, 1L), event(-1, 2L), event(0, 4L), event(7, 8L));
    assertThat(evaluate(Aggregation.sum("x"), ValueType.LONG, Window.lifetime(), events, 7)).isEqualTo(7L);
    assertThat(count(Window.lifetime(), events, Long.MIN_VALUE / 2)).isEqualTo(0L);
    assertThatThrownBy(() -> NaiveOracle.windowStart(Window.lifetime(), 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute the start of a lifetime window: it has none");
  }

  @Test
  void asOfIngestAlsoRequiresIngestBeforeT() {
    // happened at 5, arrived late at 20
    List<OracleEvent> events = List.of(new OracleEvent(5, 20, 0, 1L), new OracleEvent(6, 6, 1, 2L));
    Aggregation sum = Aggregation.sum("x");
    assertThat(evaluate(sum, ValueType.LONG, Window.lifetime(), EVENT_TIME, events, 10)).isEqualTo(3L);
    assertThat(evaluate(sum, ValueType.LONG, Window.lifetime(), AS_OF_INGEST, events, 10)).isEqualTo(2L);
    assertThat(evaluate(sum, ValueType.LONG, Window.lifetime(), AS_OF_INGEST, events, 20)).isEqualTo(2L);
    assertThat(evaluate(sum, ValueType.LONG, Window.lifetime(), AS_OF_INGEST, events, 21)).isEqualTo(3L);
    // an event ingested early is still bounded by its event time
    List<OracleEvent> early = List.of(new OracleEvent(30, 1, 0, 1L));
    assertThat(evaluate(sum, ValueType.LONG, Window.lifetime(), AS_OF_INGEST, early, 30)).isEqualTo(0L);
  }

  @Test
  void tiesOnEventTimeAreOrderedByIngestTimeThenSequence() {
    // all at event time 5; order: c (ingest 7, seq 0), b (7, 2), a (9, 1)
    List<OracleEvent> events = List.of(
        new OracleEvent(5, 9, 1, "a"),
        new OracleEvent(5, 7, 2, "b"),
        new OracleEvent(5, 7, 0, "c"),
        new OracleEvent(4, 100, 3, "older"));
    Window lifetime = Window.lifetime();
    assertThat(evaluate(Aggregation.of(AggregationFunction.FIRST, "x"), ValueType.STRING, lifetime, events, 6)).isEqualTo("older");
    assertThat(evaluate(Aggregation.of(AggregationFunction.LAST, "x"), ValueType.STRING, lifetime, events, 6)).isEqualTo("a");
    assertThat(evaluate(Aggregation.firstK("x", 3), ValueType.STRING, lifetime, events, 6))
        .isEqualTo(List.of("older", "c", "b"));
    assertThat(evaluate(Aggregation.lastK("x", 3), ValueType.STRING, lifetime, events, 6))
        .isEqualTo(List.of("a", "b", "c"));
    assertThat(evaluate(Aggregation.lastK("x", 10), ValueType.STRING, lifetime, events, 6))
        .isEqualTo(List.of("a", "b", "c", "older"));
  }

  @Test
  void evaluateAllEvaluatesAtEachTime() {
    List<OracleEvent> events = List.of(event(1, 1L), event(2, 1L), event(3, null));
    Object[] counts = NaiveOracle.evaluateAll(
        Aggregation.count(), null, Window.lifetime(), EVENT_TIME, events, new long[] {0, 1, 2, 3, 4});
    assertThat(counts).containsExactly(0L, 0L, 1L, 2L, 3L);
  }

  private static long count(Window window, List<OracleEvent> events, long t) {
    return (Long) NaiveOracle.evaluate(Aggregation.count(), null, window, EVENT_TIME, events, t);
  }

  private static Object evaluate(
      Aggregation aggregation, ValueType type, Window window, List<OracleEvent> events, long t) {
    return evaluate(aggregation, type, window, EVENT_TIME, events, t);
  }

  private static Object evaluate(
      Aggregation aggregation, ValueType type, Window window, PointInTimeMode mode, List<OracleEvent> events,
      long t) {
    return NaiveOracle.evaluate(aggregation, type, window, mode, events, t);
  }

  private static OracleEvent event(long time, Object value) {
    return new OracleEvent(time, time, time, value);
  }
}
