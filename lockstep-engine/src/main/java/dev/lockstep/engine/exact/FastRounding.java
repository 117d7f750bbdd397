package dev.lockstep.engine.exact;

/**
 * The fast paths of {@link ExactStatistics}: double-double arithmetic with a proven relative error
 * bound, whose result is returned only when every value within the bound rounds to the same
 * double (Ziv's strategy); otherwise NaN, and the caller falls back to slower exact arithmetic.
 * Results that would be subnormal or overflow also answer NaN.
 *
 * <p>Error analysis (u = 2^-53; every operand normal, which the exponent checks ensure):
 *
 * <ul>
 *   <li>A sum enters as its top 106 bits, truncated: relative error below 2^-105.
 *   <li>Division (one Newton correction of {@code xh / yh}, the residual formed with an exact FMA
 *       product and scaled by a rounded reciprocal): below 32u², so with the truncation below
 *       2^-100.5 relative. Square root (one Newton correction of {@code sqrt(vh)}): adds below 6u².
 *       {@link #ERROR_BOUND} = 2^-97 covers both with a tenfold margin.
 *   <li>The variance numerator {@code n·Q − S²} formed in double-double from the two truncated
 *       sums (exact products {@code n·qh} and {@code sh²}, an exact two-sum of them, the small
 *       terms added in plain doubles): absolute error below 2^-99.5·n·Q, so relative error below
 *       2^-99.5·n·Q / (n·Q − S²). {@link #NUMERATOR_ERROR} = 2^-96 is used; it grows with the
 *       cancellation, and past 2^-40 this path gives up in favor of the exact numerator.
 * </ul>
 */
final class FastRounding {
  static final double ERROR_BOUND = 0x1p-97;
  static final double NUMERATOR_ERROR = 0x1p-96;
  private static final long FRACTION_MASK = (1L << 52) - 1;

  private FastRounding() {}

  /** |x| / (yh + yl) rounded, or NaN; x normalized and non-zero, y positive with |yl| ≤ ulp(yh). */
  static double quotient(FixedPoint x, double yh, double yl) {
    int shift = x.topBit() - 52;
    return divide(head(x), tail(x), yh, yl, shift, false, ERROR_BOUND);
  }

  /** sqrt(|x| / (yh + yl)) rounded, or NaN; same preconditions as {@link #quotient}. */
  static double squareRootOfQuotient(FixedPoint x, double yh, double yl) {
    int shift = x.topBit() - 52;
    double xh = head(x);
    double xl = tail(x);
    if ((shift & 1) != 0) { // make the exponent even so it halves exactly
      xh *= 2;
      xl *= 2;
      shift--;
    }
    return divide(xh, xl, yh, yl, shift, true, ERROR_BOUND);
  }

  /**
   * {@code (count·squares − sum²) / (yh + yl)}, or its square root, rounded; NaN when undecided,
   * when the cancellation is heavy or when the sums lie outside a range safe for doubles. Both
   * sums normalized, {@code count} at most 2^53.
   */
  static double spreadFromSums(
      FixedPoint sum, FixedPoint squares, long count, double yh, double yl, boolean squareRoot) {
    if (squares.high < squares.low || squares.negative) {
      return Double.NaN;
    }
    int squaresTop = squares.topBit();
    if (squaresTop < -700 || squaresTop > 900) {
      return Double.NaN;
    }
    double qh = scale(head(squares), squaresTop - 52);
    double ql = scale(tail(squares), squaresTop - 52);
    double sh = 0;
    double sl = 0;
    if (sum.high >= sum.low) {
      int sumTop = sum.topBit();
      if (sumTop < -450 || sumTop > 450) {
        return Double.NaN;
      }
      sh = scale(head(sum), sumTop - 52);
      sl = scale(tail(sum), sumTop - 52);
    }
    double n = count;
    double countSquares = n * qh; // n·qh = countSquares + e1 and sh² = square + e2, exactly
    double e1 = Math.fma(n, qh, -countSquares);
    double square = sh * sh;
    double e2 = Math.fma(sh, sh, -square);
    double head = countSquares - square; // two-sum: head + t = countSquares − square exactly
    double virtual = head - countSquares;
    double t = (countSquares - (head - virtual)) - (square + virtual);
    double rest = ((t + (e1 - e2)) + n * ql) - 2 * (sh * sl);
    double nh = head + rest; // two-sum again, normalizing the numerator
    virtual = nh - head;
    double nl = (head - (nh - virtual)) + (rest - virtual);
    if (!(nh > 0)) {
      return Double.NaN;
    }
    double relative = NUMERATOR_ERROR * countSquares / nh;
    if (!(relative < 0x1p-40)) {
      return Double.NaN; // heavy cancellation: the exact numerator decides better
    }
    double bound = (squareRoot ? relative * 0.5 : relative) + ERROR_BOUND;
    return divide(nh, nl, yh, yl, 0, squareRoot, bound);
  }

  /**
   * (xh + xl) / (yh + yl), or its square root, times 2^shift (2^(shift/2)), if decided within
   * {@code bound}; |xl| ≤ 2u·xh, |yl| ≤ 2u·yh, all positive and normal.
   */
  private static double divide(
      double xh, double xl, double yh, double yl, int shift, boolean squareRoot, double bound) {
    // q = x / y: qh = RN(xh / yh) corrected by the exact residual x − qh·y over yh. The
    // reciprocal runs in parallel with the first division (its rounding is in the bound).
    double reciprocal = 1 / yh;
    double qh = xh / yh;
    double product = qh * yh;
    double residual = (((xh - product) - Math.fma(qh, yh, -product)) + xl) - qh * yl;
    double ql = residual * reciprocal;
    double hi = qh + ql;
    double lo = ql - (hi - qh);
    if (!squareRoot) {
      return decide(hi, lo, shift, bound);
    }
    // sqrt(v), v = hi + lo: r = RN(sqrt(hi)) corrected by (v − r²) / 2r.
    double root = Math.sqrt(hi);
    double square = root * root;
    double correction = (((hi - square) - Math.fma(root, root, -square)) + lo) / (2 * root);
    double rootHi = root + correction;
    return decide(rootHi, correction - (rootHi - root), shift / 2, bound);
  }

  /** {@code hi · 2^shift} if all values within relative {@code bound} of hi + lo round to hi. */
  private static double decide(double hi, double lo, int shift, double bound) {
    long bits = Double.doubleToRawLongBits(hi);
    int exponent = (int) (bits >>> 52) - 1023 + shift;
    if (exponent < -1021 || exponent > 1022) {
      return Double.NaN; // subnormal or overflowing results: let the exact path round them
    }
    double ulp = Math.ulp(hi);
    // Below a power of two the gap to the next double down is half as wide.
    double half = lo < 0 && (bits & FRACTION_MASK) == 0 ? ulp * 0.25 : ulp * 0.5;
    double error = hi * bound;
    if (Math.abs(lo) + 2 * error >= half) { // doubled: absorbs the rounding of this test itself
      return Double.NaN;
    }
    return scale(hi, shift);
  }

  /** The top 53 bits of normalized non-zero x: an integer in [2^52, 2^53). */
  private static double head(FixedPoint x) {
    long[] limbs = x.limbs;
    int h = x.high;
    long l2 = limbs[h];
    long l1 = h >= 1 ? limbs[h - 1] : 0; // limbs below low are zero
    long l0 = h >= 2 ? limbs[h - 2] : 0;
    int zeros = Long.numberOfLeadingZeros(l2) - 32;
    long top64 = (l2 << (32 + zeros)) | (l1 << zeros) | (l0 >>> (32 - zeros));
    return (double) (top64 >>> 11);
  }

  /** The next 53 bits after {@link #head}, as a fraction of its last unit, in [0, 1). */
  private static double tail(FixedPoint x) {
    long[] limbs = x.limbs;
    int h = x.high;
    long l2 = limbs[h];
    long l1 = h >= 1 ? limbs[h - 1] : 0;
    long l0 = h >= 2 ? limbs[h - 2] : 0;
    long lm1 = h >= 3 ? limbs[h - 3] : 0;
    long lm2 = h >= 4 ? limbs[h - 4] : 0;
    int zeros = Long.numberOfLeadingZeros(l2) - 32;
    long top64 = (l2 << (32 + zeros)) | (l1 << zeros) | (l0 >>> (32 - zeros));
    long next64 = (l0 << (32 + zeros)) | (lm1 << zeros) | (lm2 >>> (32 - zeros));
    return (double) (((top64 & 0x7FF) << 42) | (next64 >>> 22)) * 0x1p-53;
  }

  /** {@code value · 2^shift}, exact when the result is normal. */
  private static double scale(double value, int shift) {
    int first = shift / 2;
    return value * twoTo(first) * twoTo(shift - first);
  }

  private static double twoTo(int exponent) {
    return Double.longBitsToDouble((long) (exponent + 1023) << 52);
  }
}
