package dev.lockstep.testkit.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.testkit.sql.DuckDbTables.EventRow;
import dev.lockstep.testkit.sql.DuckDbTables.SpineRow;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of the SQL formulation: §3's edge rules, orders, and the exactness guards. */
class PointInTimeSqlTest {
  private static final Window LIFETIME = Window.lifetime();

  @Test
  void emptyWindowsGiveTheDesignResults() throws SQLException {
    List<EventRow> events = List.of(new EventRow("a", 100, 100, 0, 5L, 2.5, "x"));
    List<Object> row = evaluateOne(events, new SpineRow(1, "a", 100), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.count(), "lv"),
        feature(Aggregation.countNonNull("sv"), "sv"),
        feature(Aggregation.sum("lv"), "lv"),
        feature(Aggregation.sum("dv"), "dv"),
        feature(Aggregation.mean("dv"), "dv"),
        feature(Aggregation.min("sv"), "sv"),
        feature(Aggregation.max("dv"), "dv"),
        feature(Aggregation.of(AggregationFunction.FIRST, "lv"), "lv"),
        feature(Aggregation.of(AggregationFunction.LAST, "sv"), "sv"),
        feature(Aggregation.of(AggregationFunction.VAR_POP, "dv"), "dv"),
        feature(Aggregation.of(AggregationFunction.STDDEV_SAMP, "lv"), "lv"),
        feature(Aggregation.firstK("lv", 2), "lv"),
        feature(Aggregation.lastK("sv", 2), "sv"),
        feature(Aggregation.of(AggregationFunction.APPROX_COUNT_DISTINCT, "sv"), "sv"),
        feature(Aggregation.approxPercentile("dv", 0.5), "dv"));
    assertThat(row).containsExactly(
        1L, 0L, 0L, 0L, 0.0, null, null, null, null, null, null, null, List.of(), List.of(), 0L, null);
  }

  @Test
  void samplingStatisticsNeedTwoValuesAndPopulationOnesOne() throws SQLException {
    List<EventRow> events = List.of(new EventRow("a", 1, 1, 0, 4L, -0.5, null));
    List<Object> row = evaluateOne(events, new SpineRow(1, "a", 2), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.of(AggregationFunction.VAR_SAMP, "lv"), "lv"),
        feature(Aggregation.of(AggregationFunction.STDDEV_SAMP, "dv"), "dv"),
        feature(Aggregation.of(AggregationFunction.VAR_POP, "lv"), "lv"),
        feature(Aggregation.of(AggregationFunction.STDDEV_POP, "dv"), "dv"),
        feature(Aggregation.mean("lv"), "lv"));
    assertThat(row).containsExactly(1L, null, null, 0.0, 0.0, 4.0);
  }

  @Test
  void theTailIsHopAlignedFromTheEpochAndTheHeadExclusive() throws SQLException {
    List<EventRow> events = new ArrayList<>();
    for (long time = -10; time <= 20; time++) {
      events.add(new EventRow("a", time, time, time + 100, time, null, null));
    }
    Window window = Window.sliding(Duration.ofMillis(5), Duration.ofMillis(3));
    WindowedFeature first = new WindowedFeature("first", Aggregation.of(AggregationFunction.FIRST, "lv"), window);
    WindowedFeature count = new WindowedFeature("count", Aggregation.count(), window);
    // t = 17: floor_3(12) = 12, events 12..16; t = 14: floor_3(9) = 9, events 9..13;
    // t = -1: floor_3(-6) = -6, events -6..-2
    List<SpineRow> spine = List.of(new SpineRow(1, "a", 17), new SpineRow(2, "a", 14), new SpineRow(3, "a", -1));
    assertThat(evaluate(events, spine, PointInTimeMode.EVENT_TIME, List.of(first, count), List.of()))
        .containsExactly(List.of(1L, 12L, 5L), List.of(2L, 9L, 5L), List.of(3L, -6L, 5L));
  }

  @Test
  void asOfIngestHidesEventsIngestedAtOrAfterT() throws SQLException {
    List<EventRow> events = List.of(
        new EventRow("a", 10, 10, 0, 1L, null, null),
        new EventRow("a", 11, 50, 1, 2L, null, null));
    WindowedFeature sum = new WindowedFeature("sum", Aggregation.sum("lv"), LIFETIME);
    List<SpineRow> spine = List.of(new SpineRow(1, "a", 50), new SpineRow(2, "a", 51));
    assertThat(evaluate(events, spine, PointInTimeMode.AS_OF_INGEST, List.of(sum), List.of()))
        .containsExactly(List.of(1L, 1L), List.of(2L, 3L));
    assertThat(evaluate(events, spine, PointInTimeMode.EVENT_TIME, List.of(sum), List.of()))
        .containsExactly(List.of(1L, 3L), List.of(2L, 3L));
  }

  @Test
  void tiesOnEventTimeAreOrderedByIngestTimeThenSequence() throws SQLException {
    List<EventRow> events = List.of(
        new EventRow("a", 10, 12, 5, 1L, null, null),
        new EventRow("a", 10, 11, 9, 2L, null, null),
        new EventRow("a", 10, 12, 7, 3L, null, null));
    List<Object> row = evaluateOne(events, new SpineRow(1, "a", 20), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.of(AggregationFunction.FIRST, "lv"), "lv"),
        feature(Aggregation.of(AggregationFunction.LAST, "lv"), "lv"),
        feature(Aggregation.lastK("lv", 3), "lv"));
    assertThat(row).containsExactly(1L, 2L, 3L, List.of(3L, 1L, 2L));
  }

  @Test
  void stringsAreOrderedByCodePointAndDoublesWithNegativeZeroFirst() throws SQLException {
    // UTF-16 order puts U+1F600 (a surrogate pair) before U+FFFD; code point order after it
    List<EventRow> events = List.of(
        new EventRow("a", 1, 1, 0, null, 0.0, "\uD83D\uDE00"),
        new EventRow("a", 2, 2, 1, null, -0.0, "\uFFFD"));
    List<Object> row = evaluateOne(events, new SpineRow(1, "a", 3), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.min("sv"), "sv"),
        feature(Aggregation.max("sv"), "sv"),
        feature(Aggregation.min("dv"), "dv"),
        feature(Aggregation.max("dv"), "dv"),
        feature(Aggregation.of(AggregationFunction.APPROX_COUNT_DISTINCT, "dv"), "dv"),
        feature(Aggregation.approxPercentile("dv", 0.0), "dv"));
    assertThat(row).containsExactly(1L, "\uFFFD", "\uD83D\uDE00", -0.0, 0.0, 2L, -0.0);
  }

  @Test
  void theLowerQuantileIndexIsTakenExactlyUnlikeQuantileDisc() throws SQLException {
    List<EventRow> events = new ArrayList<>();
    for (long value = 0; value <= 10; value++) {
      events.add(new EventRow("a", value, value, value, value, null, null));
    }
    // 0.7 as a double is slightly below 0.7, so floor(0.7 · 10) is 6, which quantile_disc rounds to 7
    List<Object> row = evaluateOne(events, new SpineRow(1, "a", 100), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.approxPercentile("lv", 0.7), "lv"));
    assertThat(row).containsExactly(1L, 6.0);
    try (DuckDbTables db = new DuckDbTables()) {
      assertThat(db.query("SELECT quantile_disc(x, 0.7) FROM range(11) t(x)").get(0)[0]).isEqualTo(7L);
    }
  }

  @Test
  void aLatestValueIsTheNewestRowsEvenWhenNullAndExpiresAfterItsTtl() throws SQLException {
    List<EventRow> events = List.of(
        new EventRow("a", 10, 10, 0, 7L, null, null),
        new EventRow("a", 20, 20, 1, null, null, null));
    LatestFeature latest = new LatestFeature("latest", "lv", Duration.ofMillis(5));
    LatestFeature forever = new LatestFeature("forever", "lv", null);
    List<SpineRow> spine = List.of(
        new SpineRow(1, "a", 10), new SpineRow(2, "a", 15), new SpineRow(3, "a", 16),
        new SpineRow(4, "a", 21), new SpineRow(5, "b", 21));
    assertThat(evaluate(events, spine, PointInTimeMode.EVENT_TIME, List.of(), List.of(latest, forever)))
        .containsExactly(
            Arrays.asList(1L, null, null), Arrays.asList(2L, 7L, 7L), Arrays.asList(3L, null, 7L),
            Arrays.asList(4L, null, null), Arrays.asList(5L, null, null));
  }

  @Test
  void doublesOutsideTheExactDomainAreAnErrorNotAnInexactSum() {
    List<EventRow> events = List.of(new EventRow("a", 1, 1, 0, null, 0.1, null));
    assertThatThrownBy(() -> evaluateOne(events, new SpineRow(1, "a", 5), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.sum("dv"), "dv")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Cannot compute an exact sum: dv = 0.1 is not a finite multiple of 2^-3");
  }

  @Test
  void onlyColumnsReadBySumsMeansAndVariancesMustBeDyadic() throws SQLException {
    List<EventRow> events = List.of(
        new EventRow("a", 1, 1, 0, null, 0.1, null), new EventRow("a", 2, 2, 1, null, 0.7, null));
    List<Object> row = evaluateOne(events, new SpineRow(1, "a", 5), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.max("dv"), "dv"), feature(Aggregation.count(), "dv"));
    assertThat(row).containsExactly(1L, 0.7, 2L);
  }

  @Test
  void varianceOperandsAbove2To53AreAnError() {
    List<EventRow> events = List.of(
        new EventRow("a", 1, 1, 0, 1_000_000_000L, null, null),
        new EventRow("a", 2, 2, 1, -1_000_000_000L, null, null));
    assertThatThrownBy(() -> evaluateOne(events, new SpineRow(1, "a", 5), PointInTimeMode.EVENT_TIME,
        feature(Aggregation.of(AggregationFunction.STDDEV_POP, "lv"), "lv")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Cannot compute an exact variance: numerator 4000000000000000000 or denominator 4 exceeds 2^53");
  }

  @Test
  void numericFunctionsRefuseStringColumns() {
    PointInTimeSql sql = PointInTimeSql.builder()
        .events(table())
        .spine(DuckDbTables.SPINE)
        .feature(new WindowedFeature("m", Aggregation.mean("sv"), LIFETIME))
        .build();
    assertThatThrownBy(sql::sql)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build feature m = mean(sv): the function needs a long or double column, not a string");
  }

  @Test
  void unknownColumnsAreRefused() {
    PointInTimeSql sql = PointInTimeSql.builder()
        .events(table())
        .spine(DuckDbTables.SPINE)
        .feature(new WindowedFeature("m", Aggregation.sum("price"), LIFETIME))
        .build();
    assertThatThrownBy(sql::sql)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read column 'price': the events table declares only [lv, dv, sv]"
            + " (add it to the table's value columns)");
  }

  private static WindowedFeature feature(Aggregation aggregation, String column) {
    return new WindowedFeature(aggregation.function().yamlName() + "_" + column + "_" + aggregation.k(),
        aggregation, LIFETIME);
  }

  private static List<Object> evaluateOne(
      List<EventRow> events, SpineRow row, PointInTimeMode mode, WindowedFeature... features) throws SQLException {
    List<WindowedFeature> unique = new ArrayList<>();
    for (int i = 0; i < features.length; i++) {
      unique.add(new WindowedFeature("f" + i, features[i].aggregation(), features[i].window()));
    }
    return evaluate(events, List.of(row), mode, unique, List.of()).get(0);
  }

  private static List<List<Object>> evaluate(List<EventRow> events, List<SpineRow> spine, PointInTimeMode mode,
      List<WindowedFeature> features, List<LatestFeature> latest) throws SQLException {
    PointInTimeSql.Builder builder = PointInTimeSql.builder().events(table()).spine(DuckDbTables.SPINE).mode(mode);
    features.forEach(builder::feature);
    latest.forEach(builder::latest);
    try (DuckDbTables db = new DuckDbTables()) {
      db.events(table(), events);
      db.spine(spine);
      List<List<Object>> rows = new ArrayList<>();
      for (Object[] row : db.query(builder.build().sql())) {
        rows.add(Arrays.asList(row));
      }
      return rows;
    }
  }

  private static EventsTable table() {
    Map<String, ValueType> columns = new LinkedHashMap<>();
    columns.put("lv", ValueType.LONG);
    columns.put("dv", ValueType.DOUBLE);
    columns.put("sv", ValueType.STRING);
    return new EventsTable("events", "key", "event_time", "ingest_time", "sequence", columns);
  }
}
