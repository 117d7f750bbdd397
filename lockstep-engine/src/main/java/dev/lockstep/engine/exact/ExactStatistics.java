package dev.lockstep.engine.exact;

import java.math.BigInteger;

/**
 * Means, variances and standard deviations computed from exact sums and rounded once (to nearest,
 * ties to even; subnormal results and overflow to infinity as IEEE 754 rounds them).
 *
 * <p>Algorithm: the variance numerator {@code n·Q − S²} is formed exactly in 32-bit limbs. The
 * final division (and square root) first runs in double-double arithmetic with a proven error
 * bound ({@link FastRounding}); only when that cannot decide the rounding (the exact result lies
 * within about 2^-97 relative of a midpoint between two doubles), the result would be subnormal or
 * overflow, or the count exceeds 2^53, it is redone exactly with {@link BigInteger}.
 */
public final class ExactStatistics {
  private static final long MAX_EXACT_DOUBLE = 1L << 53;

  /** Which arithmetic to use; {@link #FAST_ONLY} and {@link #EXACT_ONLY} exist for tests. */
  enum Path {
    /** Double-double, then exact when undecided: what the public methods do. */
    FAST_THEN_EXACT,
    /** Double-double only: NaN when the rounding is undecided. */
    FAST_ONLY,
    /** Exact arithmetic only. */
    EXACT_ONLY
  }

  private ExactStatistics() {}

  /**
   * {@code sum / count}, correctly rounded. When {@code sum} holds a non-finite value, its {@link
   * ExactSum#doubleValue()} divided by {@code count}.
   *
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public static double mean(ExactSum sum, long count) {
    return mean(sum, count, Path.FAST_THEN_EXACT);
  }

  /**
   * The exact variance {@code (n·Q − S²) / (n·(n−1))} (sample) or {@code / n²} (population),
   * rounded once, where {@code S} is {@code sum}, {@code Q} is {@code sumOfSquares} and {@code n} is {@code
   * count}. NaN when a non-finite value was added; 0 when {@code n·Q ≤ S²}, which sums of the same
   * values only reach when all values are equal.
   *
   * @throws IllegalArgumentException if {@code count < 2} for a sample variance or {@code count <
   *     1} for a population variance
   */
  public static double variance(ExactSum sum, ExactSum sumOfSquares, long count, boolean sample) {
    return variance(sum, sumOfSquares, count, sample, Path.FAST_THEN_EXACT);
  }

  /**
   * The square root of the exact variance, rounded once. Same preconditions and special cases as
   * {@link #variance}.
   *
   * @throws IllegalArgumentException as {@link #variance} does
   */
  public static double standardDeviation(
      ExactSum sum, ExactSum sumOfSquares, long count, boolean sample) {
    return standardDeviation(sum, sumOfSquares, count, sample, Path.FAST_THEN_EXACT);
  }

  static double mean(ExactSum sum, long count, Path path) {
    if (count < 1) {
      throw new IllegalArgumentException(
          "Cannot compute mean: count is " + count + " (pass the number of values summed, > 0)");
    }
    if (!sum.isFinite()) {
      return sum.doubleValue() / count;
    }
    if (sum.isZero()) {
      return 0.0;
    }
    double magnitude = Double.NaN;
    if (path != Path.EXACT_ONLY && count <= MAX_EXACT_DOUBLE) {
      magnitude = FastRounding.quotient(sum, count, 0.0);
    }
    if (Double.isNaN(magnitude) && path != Path.FAST_ONLY) {
      magnitude = Rounding.quotient(sum.magnitude(), BigInteger.valueOf(count), sum.lowestBit());
    }
    return sum.negative ? -magnitude : magnitude;
  }

  static double variance(
      ExactSum sum, ExactSum sumOfSquares, long count, boolean sample, Path path) {
    return spread(sum, sumOfSquares, count, sample, false, path);
  }

  static double standardDeviation(
      ExactSum sum, ExactSum sumOfSquares, long count, boolean sample, Path path) {
    return spread(sum, sumOfSquares, count, sample, true, path);
  }

  /** The variance, or with {@code squareRoot} the standard deviation. */
  private static double spread(
      ExactSum sum,
      ExactSum sumOfSquares,
      long count,
      boolean sample,
      boolean squareRoot,
      Path path) {
    if (count < (sample ? 2 : 1)) {
      throw new IllegalArgumentException(
          "Cannot compute " + (sample ? "sample " : "population ")
              + (squareRoot ? "standard deviation" : "variance") + ": count is " + count
              + (sample ? " (a sample needs at least 2 values)" : " (it needs a value)"));
    }
    if (!sum.isFinite() || !sumOfSquares.isFinite()) {
      return Double.NaN;
    }
    FixedPoint numerator = ExactProducts.varianceNumerator(sum, sumOfSquares, count);
    if (numerator.isZero() || numerator.negative) {
      return 0.0;
    }
    long other = sample ? count - 1 : count;
    double result = Double.NaN;
    if (path != Path.EXACT_ONLY && count <= MAX_EXACT_DOUBLE) {
      double high = (double) count * other; // count · other exactly as high + low
      double low = Math.fma(count, other, -high);
      result = squareRoot
          ? FastRounding.squareRootOfQuotient(numerator, high, low)
          : FastRounding.quotient(numerator, high, low);
    }
    if (Double.isNaN(result) && path != Path.FAST_ONLY) {
      BigInteger denominator = BigInteger.valueOf(count).multiply(BigInteger.valueOf(other));
      result = squareRoot
          ? Rounding.squareRootOfQuotient(
              numerator.magnitude(), denominator, numerator.lowestBit())
          : Rounding.quotient(numerator.magnitude(), denominator, numerator.lowestBit());
    }
    return result;
  }
}
