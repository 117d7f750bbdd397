package dev.lockstep.engine.exact;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.function.Function;

/**
 * A slow, independent reference for correct rounding (to nearest, ties to even) of exact values:
 * start from a rough double and step to the neighbor while the exact value lies beyond the
 * midpoint, comparing exact {@link BigDecimal} midpoints against the exact value. Shares no code
 * with the implementation.
 */
final class Oracle {
  private static final MathContext ROUGH = new MathContext(30);
  /** Halfway between Double.MAX_VALUE and 2^1024: the overflow threshold. */
  private static final BigDecimal OVERFLOW =
      new BigDecimal(Double.MAX_VALUE)
          .add(new BigDecimal(Math.ulp(Double.MAX_VALUE)).divide(BigDecimal.valueOf(2)));

  private Oracle() {}

  /** The exact sum of some doubles. */
  static BigDecimal exact(double... values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double value : values) {
      sum = sum.add(new BigDecimal(value));
    }
    return sum;
  }

  static BigDecimal square(BigDecimal value) {
    return value.multiply(value);
  }

  /** {@code value} rounded to a double. */
  static double round(BigDecimal value) {
    if (value.signum() < 0) {
      return -round(value.negate());
    }
    return roundPositive(candidate -> candidate.compareTo(value), value.doubleValue());
  }

  /** {@code numerator / denominator} rounded; denominator positive. */
  static double quotient(BigDecimal numerator, BigDecimal denominator) {
    if (numerator.signum() < 0) {
      return -quotient(numerator.negate(), denominator);
    }
    return roundPositive(
        candidate -> candidate.multiply(denominator).compareTo(numerator),
        numerator.divide(denominator, ROUGH).doubleValue());
  }

  /** {@code sqrt(numerator / denominator)} rounded; both non-negative, denominator positive. */
  static double squareRootOfQuotient(BigDecimal numerator, BigDecimal denominator) {
    return roundPositive(
        candidate -> candidate.multiply(candidate).multiply(denominator).compareTo(numerator),
        numerator.divide(denominator, ROUGH).sqrt(ROUGH).doubleValue());
  }

  /**
   * Rounds the non-negative exact value x described by {@code compare} (the sign of candidate − x)
   * starting from the guess {@code rough}.
   */
  private static double roundPositive(Function<BigDecimal, Integer> compare, double rough) {
    if (compare.apply(BigDecimal.ZERO) == 0) {
      return 0.0;
    }
    double d = Double.isInfinite(rough) ? Double.MAX_VALUE : Math.max(rough, 0.0);
    while (true) {
      if (d == Double.MAX_VALUE) {
        int c = compare.apply(OVERFLOW);
        if (c <= 0) {
          return Double.POSITIVE_INFINITY; // at or beyond the threshold: ties go to 2^1024 (even)
        }
      } else {
        double up = Math.nextUp(d);
        int c = compare.apply(midpoint(d, up));
        if (c < 0) {
          d = up;
          continue;
        }
        if (c == 0) {
          return even(d, up);
        }
      }
      if (d > 0) {
        double down = Math.nextDown(d);
        int c = compare.apply(midpoint(down, d));
        if (c > 0) {
          d = down;
          continue;
        }
        if (c == 0) {
          return even(down, d);
        }
      }
      return d;
    }
  }

  private static BigDecimal midpoint(double a, double b) {
    return new BigDecimal(a).add(new BigDecimal(b)).multiply(new BigDecimal("0.5"));
  }

  private static double even(double a, double b) {
    return (Double.doubleToRawLongBits(a) & 1) == 0 ? a : b;
  }

  /** The exact value of a sum reconstructed by bits: {@code m·2^e}. */
  static BigDecimal dyadic(BigInteger m, int e) {
    return e >= 0
        ? new BigDecimal(m.shiftLeft(e))
        : new BigDecimal(m).divide(new BigDecimal(BigInteger.TWO.pow(-e)));
  }
}
