package dev.lockstep.engine.exact;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Means, variances and standard deviations computed from exact sums and rounded once.
 *
 * <p>Provisional implementation on {@link BigDecimal}.
 */
public final class ExactStatistics {
  private static final MathContext WIDE = new MathContext(60);

  private ExactStatistics() {}

  /** {@code sum / count}, correctly rounded; {@code count > 0}. */
  public static double mean(ExactSum sum, long count) {
    if (!sum.isFinite()) {
      return sum.doubleValue() / count;
    }
    return sum.toBigDecimal().divide(BigDecimal.valueOf(count), WIDE).doubleValue();
  }

  /**
   * The exact variance {@code (n·Q − S²) / (n·(n−1))} (sample) or {@code / n²} (population), rounded
   * once. Requires {@code count > 1} for a sample variance and {@code count > 0} otherwise. NaN when
   * a non-finite value was added.
   */
  public static double variance(ExactSum sum, ExactSum sumOfSquares, long count, boolean sample) {
    if (!sum.isFinite() || !sumOfSquares.isFinite()) {
      return Double.NaN;
    }
    return exactVariance(sum, sumOfSquares, count, sample).doubleValue();
  }

  /** The square root of the exact variance, rounded once. Same preconditions as {@link #variance}. */
  public static double standardDeviation(
      ExactSum sum, ExactSum sumOfSquares, long count, boolean sample) {
    if (!sum.isFinite() || !sumOfSquares.isFinite()) {
      return Double.NaN;
    }
    return exactVariance(sum, sumOfSquares, count, sample).sqrt(WIDE).doubleValue();
  }

  private static BigDecimal exactVariance(
      ExactSum sum, ExactSum sumOfSquares, long count, boolean sample) {
    BigDecimal n = BigDecimal.valueOf(count);
    BigDecimal s = sum.toBigDecimal();
    BigDecimal numerator = n.multiply(sumOfSquares.toBigDecimal()).subtract(s.multiply(s));
    BigDecimal denominator = n.multiply(sample ? BigDecimal.valueOf(count - 1) : n);
    return numerator.signum() <= 0 ? BigDecimal.ZERO : numerator.divide(denominator, WIDE);
  }
}
