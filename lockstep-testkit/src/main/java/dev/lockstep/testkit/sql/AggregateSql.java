package dev.lockstep.testkit.sql;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one feature: aggregate expressions over the joined events {@code e} of one spine row
 * (grouped per row), and then steps over those aggregates, each {@code expression AS alias}.
 */
final class AggregateSql {
  /** The order aggregations see events in (docs/architecture.md, "Semantics"). */
  static final String EVENT_ORDER = "e.et, e.it, e.sq";
  private static final String NEWEST_FIRST = "e.et DESC, e.it DESC, e.sq DESC";

  final List<String> aggregates = new ArrayList<>();
  final List<String> steps = new ArrayList<>();

  /**
   * Adds the SQL of {@code aggregation} and returns the alias of its result.
   *
   * @param p the prefix of every alias this feature defines
   * @param value the value column of the joined event, e.g. {@code e.c0}
   * @param scaled the HUGEINT scaled value column, e.g. {@code e.x0}
   */
  String add(String p, Aggregation aggregation, ValueType type, String value, String scaled, int bits) {
    int scale = type == ValueType.DOUBLE ? bits : 0;
    String nonNull = " FILTER (WHERE " + value + " IS NOT NULL)";
    switch (aggregation.function()) {
      case COUNT -> aggregate("count(e.et)", p);
      case COUNT_NON_NULL -> aggregate("count(" + value + ")", p);
      case SUM -> {
        if (type == ValueType.LONG) {
          aggregate("CAST(coalesce(sum(" + scaled + "), 0) AS BIGINT)", p);
        } else {
          aggregate("coalesce(sum(" + scaled + "), 0)", p + "_s");
          step(ExactSql.exactQuotient(p + "_s", ExactSql.powerOfTwo(scale), "sum"), p);
        }
      }
      case MEAN -> {
        aggregate("count(" + value + ")", p + "_n");
        aggregate("coalesce(sum(" + scaled + "), 0)", p + "_s");
        String divisor = "CAST(" + p + "_n AS DOUBLE) * " + ExactSql.powerOfTwo(scale);
        step("CASE WHEN " + p + "_n = 0 THEN NULL ELSE "
            + ExactSql.exactQuotient(p + "_s", "(" + divisor + ")", "mean") + " END", p);
      }
      case VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP -> moments(p, aggregation.function(), scaled, scale);
      case MIN, MAX -> extreme(p, aggregation.function() == AggregationFunction.MIN, type, value);
      case FIRST -> aggregate("first(" + value + " ORDER BY " + EVENT_ORDER + ")" + nonNull, p);
      case LAST -> aggregate("last(" + value + " ORDER BY " + EVENT_ORDER + ")" + nonNull, p);
      case FIRST_K, LAST_K -> {
        String order = aggregation.function() == AggregationFunction.FIRST_K ? EVENT_ORDER : NEWEST_FIRST;
        aggregate("coalesce(list(" + value + " ORDER BY " + order + ")" + nonNull + ", []::"
            + sqlType(type) + "[])[1:" + aggregation.k() + "]", p);
      }
      case APPROX_COUNT_DISTINCT -> distinct(p, type, value);
      case APPROX_PERCENTILE -> lowerQuantile(p, type, value, aggregation.quantile());
    }
    return p;
  }

  /** The newest row's value, even when null, unless it is older than the TTL. */
  String addLatest(String p, String value, Long ttlMillis) {
    aggregate("last(" + value + " ORDER BY " + EVENT_ORDER + ")", p + "_v");
    aggregate("max(e.et)", p + "_t");
    step(ttlMillis == null
        ? p + "_v"
        : "CASE WHEN t - " + p + "_t <= " + ttlMillis + " THEN " + p + "_v END", p);
    return p;
  }

  private void moments(String p, AggregationFunction function, String scaled, int scale) {
    aggregate("count(" + scaled + ")", p + "_n");
    aggregate("coalesce(sum(" + scaled + "), 0)", p + "_s");
    aggregate("coalesce(sum(" + scaled + " * " + scaled + "), 0)", p + "_q");
    boolean sample = function == AggregationFunction.VAR_SAMP || function == AggregationFunction.STDDEV_SAMP;
    boolean root = function == AggregationFunction.STDDEV_SAMP || function == AggregationFunction.STDDEV_POP;
    steps.addAll(ExactSql.varianceSteps(p, sample, scale));
    if (root) {
      steps.addAll(ExactSql.squareRootSteps(p));
    } else {
      steps.add(ExactSql.varianceGuard(p, p + "_v"));
    }
  }

  /**
   * min/max in the oracle's order: strings by code point (the binary collation, UTF-8 bytes),
   * doubles with {@code -0.0 < 0.0}, which DuckDB compares as equal.
   */
  private void extreme(String p, boolean min, ValueType type, String value) {
    String function = min ? "min" : "max";
    if (type == ValueType.STRING) {
      aggregate(function + "(" + value + " COLLATE \"binary\")", p);
    } else if (type == ValueType.LONG) {
      aggregate(function + "(" + value + ")", p);
    } else {
      String preferred = min ? "signbit(" + value + ")" : "NOT signbit(" + value + ")";
      aggregate(function + "(" + value + ")", p + "_m");
      aggregate("coalesce(bool_or(" + value + " = 0 AND " + preferred + "), false)", p + "_z");
      String zero = min ? "CASE WHEN " + p + "_z THEN '-0.0'::DOUBLE ELSE 0.0::DOUBLE END"
          : "CASE WHEN " + p + "_z THEN 0.0::DOUBLE ELSE '-0.0'::DOUBLE END";
      step("CASE WHEN " + p + "_m = 0 THEN " + zero + " ELSE " + p + "_m END", p);
    }
  }

  /** Exact distinct count; doubles are distinct by bits, so -0.0 and 0.0 count twice. */
  private void distinct(String p, ValueType type, String value) {
    if (type == ValueType.DOUBLE) {
      aggregate("count(DISTINCT " + value + ") + CASE WHEN bool_or(" + value + " = 0 AND signbit(" + value
          + ")) AND bool_or(" + value + " = 0 AND NOT signbit(" + value + ")) THEN 1 ELSE 0 END", p);
    } else if (type == ValueType.STRING) {
      aggregate("count(DISTINCT " + value + " COLLATE \"binary\")", p);
    } else {
      aggregate("count(DISTINCT " + value + ")", p);
    }
  }

  /**
   * The value at 0-based index {@code floor(q · (n − 1))} of the sorted values, the product taken
   * exactly: {@code q = a / 2^b} exactly, so the index is {@code (a · (n − 1)) >> b} in HUGEINT.
   * DuckDB's {@code quantile_disc} computes the index in floating point and differs (for q = 0.7
   * over 11 values it takes index 7, the exact floor is 6).
   */
  private void lowerQuantile(String p, ValueType type, String value, double q) {
    String order = type == ValueType.DOUBLE ? value + ", signbit(" + value + ") DESC" : value;
    aggregate("list(" + value + " ORDER BY " + order + ") FILTER (WHERE " + value + " IS NOT NULL)", p + "_l");
    BigDecimal exact = new BigDecimal(q);
    int b = Math.max(0, exact.scale()); // q = unscaled / 10^scale = a / 2^scale, since q is dyadic
    java.math.BigInteger a = exact.multiply(BigDecimal.valueOf(2).pow(b)).toBigIntegerExact();
    String index = a.signum() == 0 || b > 120
        ? "0"
        : "CAST((CAST(" + a + " AS HUGEINT) * (len(" + p + "_l) - 1)) >> " + b + " AS BIGINT)";
    step("CASE WHEN len(" + p + "_l) > 0 THEN CAST(" + p + "_l[" + index + " + 1] AS DOUBLE) END", p);
  }

  static String sqlType(ValueType type) {
    return switch (type) {
      case LONG -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case STRING -> "VARCHAR";
    };
  }

  private void aggregate(String expression, String alias) {
    aggregates.add(expression + " AS " + alias);
  }

  private void step(String expression, String alias) {
    steps.add(expression + " AS " + alias);
  }
}
