package dev.lockstep.testkit.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.testkit.data.RandomEvents;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SQL formulation against the naive oracle on seeded random data inside the exactness
 * conditions: many entities (some without events), random windows and hops, both modes, nulls,
 * ties on event and ingest time, events at exactly t, queries before the first event. Every value
 * must match exactly, doubles bit for bit.
 */
class PointInTimeSqlDifferentialTest {
  private static final long HOP = 60_000;
  private static final Map<String, ValueType> COLUMNS = columns();
  private static final List<String> STRINGS = List.of(
      "", "a", "ab", "b", "B", "\u00E9", "e\u0301", "\u65E5\u672C", "\uFFFD", "\uE000", "\uD83D\uDE00",
      "a\uD83D\uDE00", "\uD834\uDD1E", "merchant-1", "merchant-10");
  private static final List<AggregationFunction> NUMERIC = List.of(
      AggregationFunction.COUNT_NON_NULL, AggregationFunction.SUM, AggregationFunction.MEAN,
      AggregationFunction.MIN, AggregationFunction.MAX, AggregationFunction.FIRST, AggregationFunction.LAST,
      AggregationFunction.VAR_SAMP, AggregationFunction.VAR_POP, AggregationFunction.STDDEV_SAMP,
      AggregationFunction.STDDEV_POP, AggregationFunction.APPROX_COUNT_DISTINCT);
  private static final List<AggregationFunction> TEXT = List.of(
      AggregationFunction.COUNT_NON_NULL, AggregationFunction.MIN, AggregationFunction.MAX,
      AggregationFunction.FIRST, AggregationFunction.LAST, AggregationFunction.APPROX_COUNT_DISTINCT);

  static Stream<Arguments> seedsAndModes() {
    return Stream.of(1L, 2L, 3L, 4L, 5L).flatMap(seed -> Stream.of(PointInTimeMode.values())
        .map(mode -> Arguments.of(seed, mode)));
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndModes")
  void matchesTheNaiveOracleExactly(long seed, PointInTimeMode mode) throws Exception {
    SplittableRandom random = new SplittableRandom(seed * 7919);
    Map<String, Map<String, List<OracleEvent>>> byColumn = new LinkedHashMap<>();
    List<DuckDbTables.EventRow> rows = events(seed, random, byColumn);
    List<Window> windows = windows(random);
    List<WindowedFeature> features = features(windows, random);
    List<LatestFeature> latest = List.of(
        new LatestFeature("latest_lv", "lv", null),
        new LatestFeature("latest_dv", "dv", Duration.ofMillis(random.nextLong(1, 10 * HOP))),
        new LatestFeature("latest_sv", "sv", Duration.ZERO));
    List<DuckDbTables.SpineRow> spine = spine(byColumn.get("lv"), windows, seed);

    EventsTable table = new EventsTable("events", "key", "event_time", "ingest_time", "sequence", COLUMNS);
    PointInTimeSql.Builder builder = PointInTimeSql.builder()
        .events(table)
        .spine(DuckDbTables.SPINE)
        .mode(mode);
    features.forEach(builder::feature);
    latest.forEach(builder::latest);
    List<Object[]> result;
    try (DuckDbTables db = new DuckDbTables()) {
      db.events(table, rows);
      db.spine(spine);
      result = db.query(builder.build().sql());
    }

    assertThat(result).hasSize(spine.size());
    List<String> mismatches = new ArrayList<>();
    long checked = 0;
    for (int r = 0; r < spine.size(); r++) {
      DuckDbTables.SpineRow row = spine.get(r);
      Object[] actual = result.get(r);
      assertThat(actual[0]).isEqualTo(row.rowId());
      for (int f = 0; f < features.size(); f++) {
        WindowedFeature feature = features.get(f);
        String column = feature.aggregation().column() == null ? "lv" : feature.aggregation().column();
        Object expected = NaiveOracle.evaluate(feature.aggregation(), COLUMNS.get(column), feature.window(), mode,
            byColumn.get(column).getOrDefault(row.key(), List.of()), row.time());
        checked++;
        if (!same(expected, actual[1 + f]) && mismatches.size() < 20) {
          mismatches.add(feature.name() + " = " + feature.aggregation() + " over " + feature.window() + " for "
              + row + ": oracle " + expected + ", SQL " + actual[1 + f]);
        }
      }
      for (int f = 0; f < latest.size(); f++) {
        LatestFeature feature = latest.get(f);
        Object expected = latestValue(byColumn.get(feature.column()).getOrDefault(row.key(), List.of()),
            feature.ttl(), mode, row.time());
        checked++;
        if (!same(expected, actual[1 + features.size() + f]) && mismatches.size() < 20) {
          mismatches.add(feature.name() + " for " + row + ": expected " + expected + ", SQL "
              + actual[1 + features.size() + f]);
        }
      }
    }
    assertThat(mismatches).as("mismatches among %d values", checked).isEmpty();
    assertThat(checked).isGreaterThan(50_000);
  }

  /** Events of 40 entities: times from {@link RandomEvents}; a long, a double and a string column. */
  private static List<DuckDbTables.EventRow> events(
      long seed, SplittableRandom random, Map<String, Map<String, List<OracleEvent>>> byColumn) {
    RandomEvents generator = RandomEvents.builder(ValueType.LONG)
        .seed(seed).hopMillis(HOP).spanHops(30).extremeRate(0).nullRate(0.15).build();
    COLUMNS.keySet().forEach(column -> byColumn.put(column, new LinkedHashMap<>()));
    List<DuckDbTables.EventRow> rows = new ArrayList<>();
    for (Map.Entry<String, List<OracleEvent>> entity : generator.entities(40, 0, 60).entrySet()) {
      for (OracleEvent event : entity.getValue()) {
        Double amount = random.nextInt(8) == 0 ? null : eighths(random);
        String text = random.nextInt(8) == 0 ? null : STRINGS.get(random.nextInt(STRINGS.size()));
        Object[] values = {event.value(), amount, text};
        rows.add(new DuckDbTables.EventRow(
            entity.getKey(), event.eventTime(), event.ingestTime(), event.sequence(), values));
        int i = 0;
        for (String column : COLUMNS.keySet()) {
          byColumn.get(column).computeIfAbsent(entity.getKey(), key -> new ArrayList<>())
              .add(new OracleEvent(event.eventTime(), event.ingestTime(), event.sequence(), values[i++]));
        }
      }
    }
    return rows;
  }

  /** Multiples of 1/8 up to 1000 in magnitude, with signed zeros and repeated small values. */
  private static double eighths(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> random.nextBoolean() ? 0.0 : -0.0;
      case 1 -> random.nextLong(-4, 5) / 8.0;
      default -> random.nextLong(-8_000, 8_001) / 8.0;
    };
  }

  private static List<Window> windows(SplittableRandom random) {
    long[] hops = {1, 7, 1_000, 45_000, HOP, 150_000};
    long hop = hops[random.nextInt(hops.length)];
    long size = hop + random.nextLong(0, 12 * HOP);
    long tiny = random.nextLong(1, 6);
    return List.of(
        Window.sliding(Duration.ofMinutes(5), Duration.ofMinutes(1)),
        Window.sliding(Duration.ofMillis(size), Duration.ofMillis(hop)),
        Window.sliding(Duration.ofMillis(tiny), Duration.ofMillis(random.nextLong(1, tiny + 1))),
        Window.lifetime());
  }

  private static List<WindowedFeature> features(List<Window> windows, SplittableRandom random) {
    List<WindowedFeature> features = new ArrayList<>();
    double[] quantiles = {0.0, 0.5, 0.7, 1.0, random.nextDouble()};
    for (int w = 0; w < windows.size(); w++) {
      Window window = windows.get(w);
      features.add(new WindowedFeature("count_w" + w, Aggregation.count(), window));
      for (String column : COLUMNS.keySet()) {
        List<AggregationFunction> functions = COLUMNS.get(column) == ValueType.STRING ? TEXT : NUMERIC;
        for (AggregationFunction function : functions) {
          features.add(new WindowedFeature(function.yamlName() + "_" + column + "_w" + w,
              Aggregation.of(function, column), window));
        }
        features.add(new WindowedFeature("first_k_" + column + "_w" + w,
            Aggregation.firstK(column, random.nextInt(1, 5)), window));
        features.add(new WindowedFeature("last_k_" + column + "_w" + w,
            Aggregation.lastK(column, random.nextInt(1, 5)), window));
        if (COLUMNS.get(column) != ValueType.STRING) {
          double q = quantiles[random.nextInt(quantiles.length)];
          features.add(new WindowedFeature("percentile_" + column + "_w" + w,
              Aggregation.approxPercentile(column, q), window));
        }
      }
    }
    return features;
  }

  /** For each entity and a ghost without events: stressing query times of every window. */
  private static List<DuckDbTables.SpineRow> spine(
      Map<String, List<OracleEvent>> events, List<Window> windows, long seed) {
    RandomEvents times = RandomEvents.builder(ValueType.LONG).seed(seed + 1000).hopMillis(HOP).spanHops(30).build();
    List<DuckDbTables.SpineRow> spine = new ArrayList<>();
    Map<String, List<OracleEvent>> withGhost = new LinkedHashMap<>(events);
    withGhost.put("ghost", List.of());
    for (Map.Entry<String, List<OracleEvent>> entity : withGhost.entrySet()) {
      TreeSet<Long> queryTimes = new TreeSet<>();
      for (Window window : windows) {
        for (long t : times.queryTimes(entity.getValue(), window, 6)) {
          queryTimes.add(t);
        }
      }
      for (long t : queryTimes) {
        spine.add(new DuckDbTables.SpineRow(spine.size() * 3L + 5, entity.getKey(), t));
      }
    }
    return spine;
  }

  /** The newest event by (event time, ingest time, sequence) visible at t, unless expired. */
  private static Object latestValue(List<OracleEvent> events, Duration ttl, PointInTimeMode mode, long t) {
    OracleEvent newest = events.stream()
        .filter(event -> event.eventTime() < t && (mode == PointInTimeMode.EVENT_TIME || event.ingestTime() < t))
        .max(Comparator.comparingLong(OracleEvent::eventTime)
            .thenComparingLong(OracleEvent::ingestTime)
            .thenComparingLong(OracleEvent::sequence))
        .orElse(null);
    if (newest == null || (ttl != null && t - newest.eventTime() > ttl.toMillis())) {
      return null;
    }
    return newest.value();
  }

  static boolean same(Object expected, Object actual) {
    if (expected == null || actual == null) {
      return expected == actual;
    }
    if (expected instanceof Double e && actual instanceof Double a) {
      return Double.doubleToLongBits(e) == Double.doubleToLongBits(a);
    }
    if (expected instanceof List<?> e && actual instanceof List<?> a) {
      if (e.size() != a.size()) {
        return false;
      }
      for (int i = 0; i < e.size(); i++) {
        if (!same(e.get(i), a.get(i))) {
          return false;
        }
      }
      return true;
    }
    return expected.equals(actual);
  }

  private static Map<String, ValueType> columns() {
    Map<String, ValueType> columns = new LinkedHashMap<>();
    columns.put("lv", ValueType.LONG);
    columns.put("dv", ValueType.DOUBLE);
    columns.put("sv", ValueType.STRING);
    return columns;
  }
}
