package dev.lockstep.engine.exact;

import java.math.BigInteger;

/**
 * Means, variances and standard deviations computed from exact sums and rounded once (to nearest,
 * ties to even; subnormal results and overflow to infinity as IEEE 754 rounds them).
 *
 * <p>Algorithm: three tiers, each used only when the one before cannot decide the rounding
 * ({@code FastRounding} proves the error bounds):
 *
 * <ol>
 *   <li>Double-double arithmetic on the top 106 bits of the sums, for the variance numerator
 *       {@code n·Q − S²} too: decides all but results within about 2^-97 relative of a midpoint
 *       between two doubles, unless {@code n·Q} and {@code S²} share more than about 35 leading
 *       bits (a mean some 2^17 times the standard deviation or more).
 *   <li>The numerator formed exactly in 32-bit limbs ({@code ExactProducts}), then double-double
 *       division and square root: decides all but results within about 2^-97 relative of a
 *       midpoint between two doubles.
 *   <li>Exact {@link BigInteger} division and square root, always; also for subnormal or
 *       overflowing results and counts above 2^53.
 * </ol>
 */
public final class ExactStatistics {
  private static final long MAX_EXACT_DOUBLE = 1L << 53;

  /** Which arithmetic to use; all but {@link #FAST_THEN_EXACT} exist for tests. */
  enum Path {
    /** The fast paths, then exact arithmetic when undecided: what the public methods do. */
    FAST_THEN_EXACT,
    /** The fast paths only: NaN when undecided. */
    FAST_ONLY,
    /** Only the fastest path, double-double from the sums: NaN when undecided. */
    FROM_SUMS_ONLY,
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
   * rounded once, where {@code S} is {@code sum}, {@code Q} is {@code sumOfSquares} and {@code n}
   * is {@code count}. NaN when a non-finite value was added; 0 when {@code n·Q ≤ S²}, which sums
   * of the same values only reach when all values are equal.
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
    FixedPoint total = sum.normalized();
    if (total.isZero()) {
      return 0.0;
    }
    double magnitude = Double.NaN;
    if (path != Path.EXACT_ONLY && count <= MAX_EXACT_DOUBLE) {
      magnitude = FastRounding.quotient(total, count, 0.0);
    }
    if (Double.isNaN(magnitude) && path != Path.FAST_ONLY && path != Path.FROM_SUMS_ONLY) {
      magnitude = Rounding.quotient(total.magnitude(), BigInteger.valueOf(count), total.lowestBit());
    }
    return total.negative ? -magnitude : magnitude;
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
    long other = sample ? count - 1 : count;
    boolean fast = path != Path.EXACT_ONLY && count <= MAX_EXACT_DOUBLE;
    double high = (double) count * other; // count · other exactly as high + low when fast
    double low = fast ? Math.fma(count, other, -high) : 0;
    double result = Double.NaN;
    FixedPoint total = sum.normalized();
    FixedPoint squares = sumOfSquares.normalized();
    if (fast) {
      result = FastRounding.spreadFromSums(total, squares, count, high, low, squareRoot);
      if (!Double.isNaN(result)) {
        return result;
      }
    }
    if (path == Path.FROM_SUMS_ONLY) {
      return Double.NaN;
    }
    FixedPoint numerator = ExactProducts.varianceNumerator(total, squares, count);
    if (numerator.isZero() || numerator.negative) {
      return 0.0; // n·Q ≤ S²: all values equal, or sums not of the same values
    }
    if (fast) {
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
