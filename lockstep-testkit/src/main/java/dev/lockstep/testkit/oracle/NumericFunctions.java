package dev.lockstep.testkit.oracle;

import dev.lockstep.api.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Sum, mean, variances and the lower quantile over non-null values, computed exactly.
 *
 * <p>Every finite double and every long is converted to its exact {@link BigDecimal}; sums of
 * values and of squares are exact, and the final rational is rounded to a double once by
 * {@link ExactRounding}. Non-finite doubles follow IEEE: a NaN, or both infinities, make a sum or
 * mean NaN; a single kind of infinity wins; any non-finite value makes a variance NaN.
 */
final class NumericFunctions {
  private NumericFunctions() {}

  /**
   * Exact sum: a Long for LONG input, a Double for DOUBLE input; 0 when there are no values. An
   * exact zero is {@code +0.0}.
   *
   * @throws ArithmeticException if the exact sum of longs does not fit a long
   */
  static Object sum(ValueType type, List<Object> values) {
    if (type == ValueType.LONG) {
      BigInteger sum = BigInteger.ZERO;
      for (Object value : values) {
        sum = sum.add(BigInteger.valueOf((Long) value));
      }
      if (sum.bitLength() > 63) {
        throw new ArithmeticException(
            "Cannot sum " + values.size() + " long values: the exact sum " + sum + " does not fit a long");
      }
      return sum.longValue();
    }
    Double special = nonFiniteSum(values);
    return special != null ? special : ExactRounding.round(exactSum(values));
  }

  /** Exact sum divided by the count, rounded once; null when there are no values. */
  static Double mean(ValueType type, List<Object> values) {
    if (values.isEmpty()) {
      return null;
    }
    Double special = type == ValueType.DOUBLE ? nonFiniteSum(values) : null;
    return special != null
        ? special
        : ExactRounding.divide(exactSum(values), BigInteger.valueOf(values.size()));
  }

  /**
   * Population ({@code (n·Q − S²) / n²}) or sample ({@code (n·Q − S²) / (n(n − 1))}) variance,
   * or its square root, of the exact rational, rounded once. Null when n = 0 (population) or
   * n &lt; 2 (sample).
   */
  static Double variance(ValueType type, List<Object> values, boolean sample, boolean squareRoot) {
    long n = values.size();
    if (n < (sample ? 2 : 1)) {
      return null;
    }
    for (Object value : values) {
      if (value instanceof Double d && !Double.isFinite(d)) {
        return Double.NaN;
      }
    }
    BigDecimal sum = exactSum(values);
    BigDecimal sumOfSquares = BigDecimal.ZERO;
    for (Object value : values) {
      BigDecimal exact = exact(value);
      sumOfSquares = sumOfSquares.add(exact.multiply(exact));
    }
    BigDecimal numerator = BigDecimal.valueOf(n).multiply(sumOfSquares).subtract(sum.multiply(sum));
    BigInteger denominator = BigInteger.valueOf(n).multiply(BigInteger.valueOf(sample ? n - 1 : n));
    return squareRoot
        ? ExactRounding.sqrt(numerator, denominator)
        : ExactRounding.divide(numerator, denominator);
  }

  /**
   * The lower q-quantile: the value at 0-based index {@code floor(q · (n − 1))} of the values
   * sorted ascending (by {@link Double#compare} for doubles), as a Double; null when there are no
   * values. The product {@code q · (n − 1)} is taken exactly, with q the given double.
   */
  static Double lowerQuantile(ValueType type, List<Object> values, double q) {
    if (values.isEmpty()) {
      return null;
    }
    List<Object> sorted = new ArrayList<>(values);
    sorted.sort(ValueOrder.of(type));
    int index = new BigDecimal(q)
        .multiply(BigDecimal.valueOf(sorted.size() - 1L))
        .setScale(0, RoundingMode.FLOOR)
        .intValueExact();
    return ((Number) sorted.get(index)).doubleValue();
  }

  private static BigDecimal exactSum(List<Object> values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Object value : values) {
      sum = sum.add(exact(value));
    }
    return sum;
  }

  /** The exact value of a Long or a finite Double. */
  private static BigDecimal exact(Object value) {
    return value instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal((Double) value);
  }

  /** The IEEE result of a sum with a non-finite term, or null when every term is finite. */
  private static Double nonFiniteSum(List<Object> values) {
    boolean nan = false;
    boolean positive = false;
    boolean negative = false;
    for (Object value : values) {
      double d = ((Number) value).doubleValue();
      nan |= Double.isNaN(d);
      positive |= d == Double.POSITIVE_INFINITY;
      negative |= d == Double.NEGATIVE_INFINITY;
    }
    if (nan || (positive && negative)) {
      return Double.NaN;
    }
    if (positive) {
      return Double.POSITIVE_INFINITY;
    }
    return negative ? Double.NEGATIVE_INFINITY : null;
  }
}
