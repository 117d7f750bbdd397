package dev.lockstep.engine.exact;

/**
 * The exact variance numerator {@code n·Q − S²} in carry-save limbs (see {@link FixedPoint}).
 *
 * <p>Algorithm: schoolbook multiplication of 32-bit limbs; each 64-bit partial product is split
 * into its low half, added to limb {@code i + j}, and its high half, added to limb {@code i + j +
 * 1}, so a limb gathers fewer than k + 5 terms below 2^33 for k-limb operands and no long can
 * overflow. Off-diagonal products of the square are formed once and added twice.
 */
final class ExactProducts {
  private ExactProducts() {}

  /**
   * {@code count · squares − sum²}, exactly, as a new number in normal form; both sums normalized
   * ({@link FixedPoint#normalized()}), {@code count} non-negative.
   */
  static FixedPoint varianceNumerator(FixedPoint sum, FixedPoint squares, long count) {
    boolean hasSum = sum.high >= sum.low;
    boolean hasSquares = squares.high >= squares.low && count != 0;
    if (!hasSum && !hasSquares) {
      return new FixedPoint();
    }
    int sumLow = sum.base + sum.low;
    int sumLimbs = sum.high - sum.low + 1;
    int squaresLow = squares.base + squares.low;
    int squaresLimbs = squares.high - squares.low + 1;
    int lowest = Math.min(
        hasSum ? 2 * sumLow : Integer.MAX_VALUE, hasSquares ? squaresLow : Integer.MAX_VALUE);
    int highest = Math.max(
        hasSum ? 2 * sumLow + 2 * sumLimbs : Integer.MIN_VALUE,
        hasSquares ? squaresLow + squaresLimbs + 2 : Integer.MIN_VALUE);
    long[] limbs = new long[highest - lowest + 1]; // one spare limb on top holds the sign
    if (hasSum) {
      long[] s = sum.limbs;
      int offset = 2 * sumLow - lowest - 2 * sum.low;
      for (int i = sum.low; i <= sum.high; i++) {
        long square = s[i] * s[i]; // below 2^64 read unsigned
        limbs[offset + 2 * i] -= square & FixedPoint.LIMB_MASK;
        limbs[offset + 2 * i + 1] -= square >>> 32;
        for (int j = i + 1; j <= sum.high; j++) {
          long product = s[i] * s[j]; // counted twice: s[i]·s[j] and s[j]·s[i]
          limbs[offset + i + j] -= (product & FixedPoint.LIMB_MASK) << 1;
          limbs[offset + i + j + 1] -= (product >>> 32) << 1;
        }
      }
    }
    if (hasSquares) {
      long[] q = squares.limbs;
      long flip = squares.negative ? -1L : 0L;
      long countLow = count & FixedPoint.LIMB_MASK;
      long countHigh = count >>> 32;
      int offset = squaresLow - lowest - squares.low;
      for (int j = squares.low; j <= squares.high; j++) {
        long productLow = q[j] * countLow;
        long productHigh = q[j] * countHigh;
        limbs[offset + j] += ((productLow & FixedPoint.LIMB_MASK) ^ flip) - flip;
        limbs[offset + j + 1] += (((productLow >>> 32) + (productHigh & FixedPoint.LIMB_MASK))
            ^ flip) - flip;
        limbs[offset + j + 2] += ((productHigh >>> 32) ^ flip) - flip;
      }
    }
    FixedPoint numerator = new FixedPoint(limbs, lowest, false);
    numerator.normalize(); // a new number: normalizing it in place is the owner's right
    return numerator;
  }
}
