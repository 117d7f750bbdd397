package dev.lockstep.testkit.sql;

import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An independent formulation of docs/architecture.md "Semantics" as one DuckDB query: every feature at every spine row,
 * by the literal definition (a range join of each spine row with its entity's events, grouped per
 * row), for checking engines against. It is slow by design and shares no code with the engine.
 *
 * <p>The query returns one row per spine row, ordered by row id: the row id, then one column per
 * feature in the order added. For a sliding window of size W and hop H an event is seen at
 * {@code t} when {@code floor_H(t − W) ≤ event_time < t} ({@code floor_H} counted from the epoch);
 * a lifetime window sees every event with {@code event_time < t}; {@link PointInTimeMode#AS_OF_INGEST}
 * also requires {@code ingest_time < t}. Events are ordered by (event time, ingest time, sequence).
 * Nulls are skipped by every aggregation but {@code count}. Empty windows give what §3 lists.
 * A latest-value feature is the value (possibly null) of the row with the greatest
 * (event time, ingest time, sequence) among those seen by a lifetime window, and null when there is
 * none or {@code t − event_time > TTL}.
 *
 * <p>Result types: {@code count}, {@code count_non_null}, {@code approx_count_distinct} BIGINT;
 * {@code sum} BIGINT over longs, DOUBLE over doubles; {@code mean}, variances, standard deviations
 * and {@code approx_percentile} DOUBLE; {@code min}, {@code max}, {@code first}, {@code last} the
 * input type; {@code first_k}, {@code last_k} a LIST ({@code last_k} newest first). Orders are
 * the oracle's: strings by code point (binary collation), doubles with {@code -0.0 < 0.0} and NaN
 * greatest. The two approximate functions are computed exactly, for reference: the number of
 * distinct non-null values (doubles distinct by bits), and the lower quantile, the value at index
 * {@code floor(q · (n − 1))} of the sorted values with the product taken exactly (not DuckDB's
 * {@code quantile_disc}, whose index is computed in floating point).
 *
 * <p><b>Exactness conditions.</b> Under these the results equal the naive oracle's bit for bit;
 * outside them the query fails with an SQL error naming the condition, never an inexact value.
 * Let {@code s} be {@link Builder#doubleScaleBits} (default 3) and {@code x = v · 2^s} for a DOUBLE
 * value, {@code x = v} for a LONG value.
 * <ul>
 *   <li>Times are BIGINT epoch milliseconds with {@code |t − W|} far from overflow (below 2^62), and
 *       sequences are unique per entity, so the event order is total.
 *   <li>Every non-null value of a DOUBLE column read by {@code sum}, {@code mean}, a variance or a
 *       standard deviation is a finite multiple of {@code 2^-s} with {@code |x| < 2^62} (checked on
 *       every row of the events relation; columns only other functions read are not checked).
 *       Sums of {@code x} and {@code x²} are then exact HUGEINTs (an overflow past 2^127 is an SQL
 *       error).
 *   <li>{@code sum}: over longs, the exact sum must fit a BIGINT (as in the oracle); over doubles,
 *       {@code |Σx| ≤ 2^53}, so {@code Σx / 2^s} is exact.
 *   <li>{@code mean}: {@code |Σx| ≤ 2^53}; then one IEEE division {@code Σx / (n · 2^s)} of two exact
 *       doubles rounds the exact mean once.
 *   <li>variances: {@code NUM = n·Σx² − (Σx)²} and {@code DEN = n(n−1)·4^s} (sample) or
 *       {@code n²·4^s} (population) are computed in HUGEINT and must both be at most 2^53; the one
 *       division {@code NUM / DEN} is then correctly rounded. Since {@code NUM ≤ n²·max x²}, values
 *       that are multiples of 1/8 up to 1,000 in magnitude (s = 3) allow about 11,000 values per
 *       window.
 *   <li>standard deviations: the same condition; the result is the correctly rounded
 *       {@code sqrt(NUM/DEN)}, fixed up from {@code sqrt} of the rounded variance by an exact
 *       integer comparison with the neighbouring midpoints (see {@code ExactSql}).
 * </ul>
 * min, max, first, last, first_k, last_k, counts, distinct counts and the lower quantile are exact
 * for all values (the quantile as a DOUBLE, from the long or double at that index).
 */
public final class PointInTimeSql {
  /** The functions whose double inputs must satisfy the exactness conditions. */
  private static final Set<AggregationFunction> EXACT_ARITHMETIC = java.util.EnumSet.of(
      AggregationFunction.SUM, AggregationFunction.MEAN, AggregationFunction.VAR_SAMP, AggregationFunction.VAR_POP,
      AggregationFunction.STDDEV_SAMP, AggregationFunction.STDDEV_POP);

  private final EventsTable events;
  private final SpineTable spine;
  private final List<WindowedFeature> windowed;
  private final List<LatestFeature> latest;
  private final PointInTimeMode mode;
  private final int doubleScaleBits;

  private PointInTimeSql(Builder builder) {
    this.events = Objects.requireNonNull(builder.events, "events");
    this.spine = Objects.requireNonNull(builder.spine, "spine");
    this.windowed = List.copyOf(builder.windowed);
    this.latest = List.copyOf(builder.latest);
    this.mode = Objects.requireNonNull(builder.mode, "mode");
    this.doubleScaleBits = builder.doubleScaleBits;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The output column names: the spine's row id column, then the features in order. */
  public List<String> columns() {
    List<String> columns = new ArrayList<>();
    columns.add(spine.rowIdColumn());
    windowed.forEach(feature -> columns.add(feature.name()));
    latest.forEach(feature -> columns.add(feature.name()));
    return columns;
  }

  /**
   * The query.
   *
   * @throws IllegalArgumentException if a feature reads an undeclared column, a numeric function
   *     reads a string column, or two output columns share a name
   */
  public String sql() {
    Set<String> names = new LinkedHashSet<>();
    for (String column : columns()) {
      if (!names.add(column)) {
        throw new IllegalArgumentException(
            "Cannot build the point-in-time query: two output columns are named '" + column + "' (rename one)");
      }
    }
    List<String> valueColumns = new ArrayList<>(events.valueColumns().keySet());
    Set<String> exactColumns = new LinkedHashSet<>();
    Map<Window, AggregateSql> groups = new LinkedHashMap<>();
    List<String> outputs = new ArrayList<>();
    int index = 0;
    for (WindowedFeature feature : windowed) {
      AggregationFunction function = feature.aggregation().function();
      ValueType type = null;
      String value = "NULL";
      String scaled = "NULL";
      if (function.needsColumn()) {
        String column = feature.aggregation().column();
        type = events.typeOf(column);
        checkType(feature, type);
        int position = valueColumns.indexOf(column);
        value = "e.c" + position;
        scaled = "e.x" + position;
        if (EXACT_ARITHMETIC.contains(function)) {
          exactColumns.add(column);
        }
      }
      AggregateSql group = groups.computeIfAbsent(feature.window(), window -> new AggregateSql());
      String alias = group.add("f" + index++, feature.aggregation(), type, value, scaled, doubleScaleBits);
      outputs.add(cteName(groups, feature.window()) + "." + alias + " AS " + quote(feature.name()));
    }
    for (LatestFeature feature : latest) {
      events.typeOf(feature.column());
      AggregateSql group = groups.computeIfAbsent(Window.lifetime(), window -> new AggregateSql());
      Long ttl = feature.ttl() == null ? null : feature.ttl().toMillis();
      String alias = group.addLatest(
          "f" + index++, "e.c" + valueColumns.indexOf(feature.column()), ttl);
      outputs.add(cteName(groups, Window.lifetime()) + "." + alias + " AS " + quote(feature.name()));
    }
    return render(valueColumns, exactColumns, groups, outputs);
  }

  private String render(
      List<String> valueColumns, Set<String> exactColumns, Map<Window, AggregateSql> groups, List<String> outputs) {
    StringBuilder sql = new StringBuilder("WITH\nspine AS (SELECT ")
        .append(quote(spine.rowIdColumn())).append(" AS rid, ")
        .append(quote(spine.keyColumn())).append(" AS k, ")
        .append(quote(spine.timeColumn())).append(" AS t FROM ").append(spine.relation()).append("),\n")
        .append("ev AS (SELECT ").append(quote(events.keyColumn())).append(" AS k, ")
        .append(quote(events.eventTimeColumn())).append(" AS et, ")
        .append(quote(events.ingestTimeColumn())).append(" AS it, ")
        .append(quote(events.sequenceColumn())).append(" AS sq");
    for (int i = 0; i < valueColumns.size(); i++) {
      String column = quote(valueColumns.get(i));
      sql.append(", ").append(column).append(" AS c").append(i).append(", ");
      sql.append(switch (events.valueColumns().get(valueColumns.get(i))) {
        case LONG -> "CAST(" + column + " AS HUGEINT)";
        case DOUBLE -> exactColumns.contains(valueColumns.get(i))
            ? ExactSql.scaledDouble(column, valueColumns.get(i).replace("'", "''"), doubleScaleBits)
            : "NULL";
        case STRING -> "NULL";
      }).append(" AS x").append(i);
    }
    sql.append(" FROM ").append(events.relation()).append(")");
    int g = 0;
    for (Map.Entry<Window, AggregateSql> group : groups.entrySet()) {
      String visible = "e.k = s.k AND e.et < s.t"
          + (group.getKey().isLifetime() ? "" : " AND e.et >= " + windowStart(group.getKey()))
          + (mode == PointInTimeMode.AS_OF_INGEST ? " AND e.it < s.t" : "");
      sql.append(",\n-- window ").append(group.getKey()).append('\n')
          .append("w").append(g).append(" AS (SELECT s.rid AS rid, s.t AS t, ")
          .append(String.join(", ", group.getValue().aggregates))
          .append(" FROM spine s LEFT JOIN ev e ON ").append(visible).append(" GROUP BY s.rid, s.t)")
          .append(layers("w" + g, "p" + g, group.getValue().steps));
      g++;
    }
    sql.append("\nSELECT s.rid AS ").append(quote(spine.rowIdColumn()));
    for (String output : outputs) {
      sql.append(",\n  ").append(output);
    }
    sql.append("\nFROM spine s");
    for (int i = 0; i < groups.size(); i++) {
      sql.append(" LEFT JOIN p").append(i).append(" ON p").append(i).append(".rid = s.rid");
    }
    return sql.append("\nORDER BY s.rid").toString();
  }

  /**
   * CTEs that evaluate the steps in layers, ending with one named {@code last}: a step goes in the
   * layer after the last one defining an alias it mentions. (DuckDB's reuse of an alias in the
   * same SELECT substitutes the expression, which blows up on chains of steps, and is refused for
   * expressions with side effects such as {@code error()}.)
   */
  private static String layers(String first, String last, List<String> steps) {
    Map<String, Integer> levels = new LinkedHashMap<>();
    List<List<String>> layers = new ArrayList<>();
    for (String step : steps) {
      int split = step.lastIndexOf(" AS ");
      String expression = step.substring(0, split);
      int level = 0;
      for (Map.Entry<String, Integer> defined : levels.entrySet()) {
        if (Pattern.compile("\\b" + Pattern.quote(defined.getKey()) + "\\b").matcher(expression).find()) {
          level = Math.max(level, defined.getValue() + 1);
        }
      }
      levels.put(step.substring(split + 4), level);
      while (layers.size() <= level) {
        layers.add(new ArrayList<>());
      }
      layers.get(level).add(step);
    }
    StringBuilder sql = new StringBuilder();
    String previous = first;
    for (int i = 0; i < layers.size(); i++) {
      String name = i == layers.size() - 1 ? last : last + "_" + i;
      sql.append(",\n").append(name).append(" AS (SELECT ").append(previous).append(".*");
      for (String step : layers.get(i)) {
        sql.append(",\n  ").append(step);
      }
      sql.append(" FROM ").append(previous).append(")");
      previous = name;
    }
    if (layers.isEmpty()) {
      sql.append(",\n").append(last).append(" AS (SELECT * FROM ").append(first).append(")");
    }
    return sql.toString();
  }

  /** {@code floor_H(t − W)}: the largest multiple of H from the epoch that is ≤ t − W. */
  private static String windowStart(Window window) {
    String shifted = "(s.t - " + window.sizeMillis() + ")";
    long hop = window.hopMillis();
    return "(" + shifted + " - ((" + shifted + " % " + hop + ") + " + hop + ") % " + hop + ")";
  }

  private static String cteName(Map<Window, AggregateSql> groups, Window window) {
    return "p" + new ArrayList<>(groups.keySet()).indexOf(window);
  }

  private static void checkType(WindowedFeature feature, ValueType type) {
    boolean numeric = switch (feature.aggregation().function()) {
      case SUM, MEAN, VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP, APPROX_PERCENTILE -> true;
      default -> false;
    };
    if (numeric && type == ValueType.STRING) {
      throw new IllegalArgumentException(
          "Cannot build feature " + feature.name() + " = " + feature.aggregation()
              + ": the function needs a long or double column, not a string");
    }
  }

  /** A double-quoted SQL identifier. */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Options of {@link PointInTimeSql}. */
  public static final class Builder {
    private EventsTable events;
    private SpineTable spine;
    private final List<WindowedFeature> windowed = new ArrayList<>();
    private final List<LatestFeature> latest = new ArrayList<>();
    private PointInTimeMode mode = PointInTimeMode.EVENT_TIME;
    private int doubleScaleBits = 3;

    private Builder() {}

    public Builder events(EventsTable events) {
      this.events = events;
      return this;
    }

    public Builder spine(SpineTable spine) {
      this.spine = spine;
      return this;
    }

    /** Adds a windowed feature; output columns follow the order of addition. */
    public Builder feature(WindowedFeature feature) {
      windowed.add(Objects.requireNonNull(feature, "feature"));
      return this;
    }

    /** Adds a latest-value feature; latest-value columns come after all windowed ones. */
    public Builder latest(LatestFeature feature) {
      latest.add(Objects.requireNonNull(feature, "feature"));
      return this;
    }

    /** Which events are seen at {@code t}. Default {@link PointInTimeMode#EVENT_TIME}. */
    public Builder mode(PointInTimeMode mode) {
      this.mode = mode;
      return this;
    }

    /**
     * s in the exactness conditions: DOUBLE values read by sums, means and variances must be
     * multiples of {@code 2^-s}. Default 3 (multiples of 1/8).
     *
     * @throws IllegalArgumentException if s is outside [0, 60]
     */
    public Builder doubleScaleBits(int bits) {
      if (bits < 0 || bits > 60) {
        throw new IllegalArgumentException("Cannot scale doubles by 2^" + bits + ": use 0 to 60 bits");
      }
      this.doubleScaleBits = bits;
      return this;
    }

    public PointInTimeSql build() {
      return new PointInTimeSql(this);
    }
  }
}
