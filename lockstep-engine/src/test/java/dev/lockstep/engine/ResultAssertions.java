package dev.lockstep.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import java.util.List;

/** Compares engine results: bit for bit where the result is exact, within bounds for sketches. */
public final class ResultAssertions {
  /** approx_count_distinct: allowed relative error (3 standard errors of lgK = 12, rounded up). */
  public static final double DISTINCT_ERROR = 0.05;
  /** approx_percentile: the DDSketch relative accuracy. */
  public static final double PERCENTILE_ERROR = 0.01;

  private ResultAssertions() {}

  /** Whether two results are identical, comparing doubles by their raw bits. */
  public static boolean sameBits(Object left, Object right) {
    if (left instanceof Double a && right instanceof Double b) {
      return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }
    if (left instanceof List<?> a && right instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameBits(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return java.util.Objects.equals(left, right);
  }

  /** Asserts that {@code actual} is what the engine must give when the oracle says {@code expected}. */
  public static void assertMatchesOracle(Aggregation aggregation, Object expected, Object actual, String context) {
    AggregationFunction function = aggregation.function();
    if (function == AggregationFunction.APPROX_COUNT_DISTINCT) {
      long exact = (Long) expected;
      assertThat((Long) actual).as(context).isBetween(
          (long) Math.floor(exact * (1 - DISTINCT_ERROR)), (long) Math.ceil(exact * (1 + DISTINCT_ERROR)));
      return;
    }
    if (function == AggregationFunction.APPROX_PERCENTILE && expected != null && actual != null) {
      double exact = (Double) expected;
      double approximate = (Double) actual;
      if (Double.isFinite(exact) && Math.abs(exact) > 1e-290) {
        assertThat(Math.abs(approximate - exact)).as(context + ": " + approximate + " vs exact " + exact)
            .isLessThanOrEqualTo(Math.abs(exact) * PERCENTILE_ERROR * (1 + 1e-9));
      } else if (Double.isFinite(exact)) {
        assertThat(Math.abs(approximate)).as(context).isLessThanOrEqualTo(1e-290);
      } else {
        assertThat(approximate).as(context).isEqualTo(exact);
      }
      return;
    }
    assertThat(sameBits(expected, actual))
        .as("%s: expected %s but engine gave %s", context, describe(expected), describe(actual)).isTrue();
  }

  static String describe(Object value) {
    if (value instanceof Double d) {
      return d + " (bits " + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
    }
    return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
  }
}
