package dev.lockstep.engine.exact;

/**
 * The fast path of {@link ExactStatistics}: quotients and square roots of quotients in
 * double-double arithmetic, returned only when the rounding is decided (Ziv's strategy).
 *
 * <p>The numerator is the top 106 bits of an exact sum, truncated (relative error below 2^-105),
 * the denominator an exact double-double. The division below (one Newton correction of
 * {@code xh / yh}, with the residual formed from an exact FMA product and scaled by a rounded
 * reciprocal) has a relative error below 32·2^-106; the square root (one Newton correction of
 * {@code sqrt(vh)}) adds below 6·2^-106. All in all the result {@code hi + lo} is within 2^-100.5
 * of the exact value, relative, the truncation of the numerator included; the test uses
 * {@link #ERROR_BOUND} = 2^-97, a more than tenfold margin. When every value within that bound of
 * {@code hi + lo} rounds to {@code hi}, so does the exact value; otherwise these methods answer
 * NaN and the caller falls back to exact arithmetic. Results that would be subnormal or overflow
 * also answer NaN.
 */
final class FastRounding {
  static final double ERROR_BOUND = 0x1p-97;
  private static final long FRACTION_MASK = (1L << 52) - 1;

  private FastRounding() {}

  /** |x| / (yh + yl) rounded, or NaN; x normalized and non-zero, y positive with |yl| ≤ ulp(yh). */
  static double quotient(FixedPoint x, double yh, double yl) {
    return divide(x, yh, yl, false);
  }

  /** sqrt(|x| / (yh + yl)) rounded, or NaN; same preconditions as {@link #quotient}. */
  static double squareRootOfQuotient(FixedPoint x, double yh, double yl) {
    return divide(x, yh, yl, true);
  }

  private static double divide(FixedPoint x, double yh, double yl, boolean squareRoot) {
    // The top 160 bits of x from five limbs (those below the array read as zero); upper holds
    // the highest 64 bits, lower the next 64.
    long[] limbs = x.limbs;
    int h = x.high;
    long l4 = limbs[h];
    long l3 = h >= 1 ? limbs[h - 1] : 0;
    long l2 = h >= 2 ? limbs[h - 2] : 0;
    long l1 = h >= 3 ? limbs[h - 3] : 0;
    long l0 = h >= 4 ? limbs[h - 4] : 0;
    int zeros = Long.numberOfLeadingZeros(l4) - 32;
    long upper = (l4 << (32 + zeros)) | (l3 << zeros) | (l2 >>> (32 - zeros));
    long lower = (l2 << (32 + zeros)) | (l1 << zeros) | (l0 >>> (32 - zeros));
    // x ≈ (xh + xl) · 2^shift with xh in [2^52, 2^53), 0 ≤ xl < 1: 106 bits, truncated.
    double xh = (double) (upper >>> 11);
    double xl = (double) (((upper & 0x7FF) << 42) | (lower >>> 22)) * 0x1p-53;
    int shift = 32 * (x.base + h) + 31 - zeros - 52;
    if (squareRoot && (shift & 1) != 0) { // make the exponent even so it halves exactly
      xh *= 2;
      xl *= 2;
      shift--;
    }
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
      return decide(hi, lo, shift);
    }
    // sqrt(v), v = hi + lo: r = RN(sqrt(hi)) corrected by (v − r²) / 2r.
    double root = Math.sqrt(hi);
    double square = root * root;
    double correction = (((hi - square) - Math.fma(root, root, -square)) + lo) / (2 * root);
    double rootHi = root + correction;
    return decide(rootHi, correction - (rootHi - root), shift / 2);
  }

  /** {@code hi · 2^shift} if every value within the error bound of hi + lo rounds there. */
  private static double decide(double hi, double lo, int shift) {
    long bits = Double.doubleToRawLongBits(hi);
    int exponent = (int) (bits >>> 52) - 1023 + shift;
    if (exponent < -1021 || exponent > 1022) {
      return Double.NaN; // subnormal or overflowing results: let the exact path round them
    }
    double ulp = Math.ulp(hi);
    // Below a power of two the gap to the next double down is half as wide.
    double half = lo < 0 && (bits & FRACTION_MASK) == 0 ? ulp * 0.25 : ulp * 0.5;
    double error = hi * ERROR_BOUND;
    if (Math.abs(lo) + 2 * error >= half) { // doubled: absorbs the rounding of this test itself
      return Double.NaN;
    }
    return scale(hi, shift);
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
