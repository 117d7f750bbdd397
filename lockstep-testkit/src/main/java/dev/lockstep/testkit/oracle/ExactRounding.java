package dev.lockstep.testkit.oracle;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Correct rounding of exact rationals, and of square roots of exact rationals, to the nearest
 * double, ties to even (IEEE 754 round-half-even), over the whole range: subnormals, and overflow
 * to an infinity.
 *
 * <p>Algorithm: a positive result is {@code m · 2^e} with an integer significand {@code m} of 53
 * bits, or fewer when {@code e} is clamped at the subnormal exponent {@code -1074}. The exponent is
 * estimated from bit lengths and corrected until {@code m} has exactly the right number of bits;
 * then {@code m = floor(x / 2^e)} and the remainder decides the rounding exactly. For square roots,
 * {@code floor(sqrt(N)) = isqrt(floor(N))}, and {@code sqrt(N) > m + 1/2} exactly when
 * {@code 4N > (2m + 1)^2}, which is decided in integers, so no approximation is ever rounded twice.
 */
final class ExactRounding {
  private static final int SIGNIFICAND_BITS = 53;
  private static final int MIN_EXPONENT = -1074;

  private ExactRounding() {}

  /** The double nearest to an exact decimal, ties to even. */
  static double round(BigDecimal value) {
    return divide(value, BigInteger.ONE);
  }

  /** The double nearest to {@code value / divisor}, ties to even. */
  static double divide(BigDecimal value, BigInteger divisor) {
    BigInteger[] fraction = fraction(value);
    return divide(fraction[0], fraction[1].multiply(divisor));
  }

  /** The double nearest to {@code sqrt(value / divisor)}, ties to even; value must be ≥ 0. */
  static double sqrt(BigDecimal value, BigInteger divisor) {
    BigInteger[] fraction = fraction(value);
    return sqrt(fraction[0], fraction[1].multiply(divisor));
  }

  /** The double nearest to the rational {@code numerator / denominator}, ties to even. */
  static double divide(BigInteger numerator, BigInteger denominator) {
    if (denominator.signum() == 0) {
      throw new ArithmeticException("Cannot round " + numerator + "/0: division by zero");
    }
    if (denominator.signum() < 0) {
      numerator = numerator.negate();
      denominator = denominator.negate();
    }
    if (numerator.signum() == 0) {
      return 0.0;
    }
    BigInteger p = numerator.abs();
    int exponent = Math.max(MIN_EXPONENT, p.bitLength() - denominator.bitLength() - SIGNIFICAND_BITS);
    BigInteger[] scaled = scale(p, denominator, exponent);
    while (scaled[0].divide(scaled[1]).bitLength() > SIGNIFICAND_BITS) {
      scaled = scale(p, denominator, ++exponent);
    }
    while (scaled[0].divide(scaled[1]).bitLength() < SIGNIFICAND_BITS && exponent > MIN_EXPONENT) {
      scaled = scale(p, denominator, --exponent);
    }
    BigInteger[] quotient = scaled[0].divideAndRemainder(scaled[1]);
    int half = quotient[1].shiftLeft(1).compareTo(scaled[1]);
    double magnitude = assemble(quotient[0].longValueExact(), half, exponent);
    return numerator.signum() < 0 ? -magnitude : magnitude;
  }

  /** The double nearest to {@code sqrt(numerator / denominator)}, ties to even. */
  static double sqrt(BigInteger numerator, BigInteger denominator) {
    if (denominator.signum() <= 0 || numerator.signum() < 0) {
      throw new ArithmeticException(
          "Cannot take the square root of " + numerator + "/" + denominator + ": not a non-negative rational");
    }
    if (numerator.signum() == 0) {
      return 0.0;
    }
    int bits = Math.floorDiv(numerator.bitLength() - denominator.bitLength(), 2);
    int exponent = Math.max(MIN_EXPONENT, bits - SIGNIFICAND_BITS);
    // sqrt(p/q) / 2^e = sqrt(p / (q · 4^e)) = sqrt(a / b)
    BigInteger[] scaled = scale(numerator, denominator, 2 * exponent);
    while (floorSqrt(scaled).bitLength() > SIGNIFICAND_BITS) {
      exponent++;
      scaled = scale(numerator, denominator, 2 * exponent);
    }
    while (floorSqrt(scaled).bitLength() < SIGNIFICAND_BITS && exponent > MIN_EXPONENT) {
      exponent--;
      scaled = scale(numerator, denominator, 2 * exponent);
    }
    BigInteger floor = floorSqrt(scaled);
    BigInteger twiceMidpoint = floor.shiftLeft(1).add(BigInteger.ONE);
    // sqrt(a/b) versus floor + 1/2, compared as 4a versus (2·floor + 1)^2 · b
    int half = scaled[0].shiftLeft(2).compareTo(twiceMidpoint.multiply(twiceMidpoint).multiply(scaled[1]));
    return assemble(floor.longValueExact(), half, exponent);
  }

  /** {@code m · 2^e} rounded up by one unit when past the half, or at it with an odd m. */
  private static double assemble(long floor, int halfComparison, int exponent) {
    long significand = floor;
    if (halfComparison > 0 || (halfComparison == 0 && (floor & 1) == 1)) {
      significand++;
    }
    // Exact: significand ≤ 2^53 and exponent ≥ -1074, so the product is representable unless it
    // overflows, and Math.scalb then returns infinity, which is the correctly rounded result.
    return Math.scalb((double) significand, exponent);
  }

  /** {numerator, denominator} of {@code p / (q · 2^exponent)} as integers. */
  private static BigInteger[] scale(BigInteger p, BigInteger q, int exponent) {
    return exponent >= 0
        ? new BigInteger[] {p, q.shiftLeft(exponent)}
        : new BigInteger[] {p.shiftLeft(-exponent), q};
  }

  private static BigInteger floorSqrt(BigInteger[] fraction) {
    return fraction[0].divide(fraction[1]).sqrt();
  }

  /** {numerator, denominator} of an exact decimal. */
  private static BigInteger[] fraction(BigDecimal value) {
    BigInteger unscaled = value.unscaledValue();
    int scale = value.scale();
    return scale >= 0
        ? new BigInteger[] {unscaled, BigInteger.TEN.pow(scale)}
        : new BigInteger[] {unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE};
  }
}
