package dev.lockstep.engine.exact;

import java.math.BigInteger;

/**
 * Correct rounding (to nearest, ties to even) of exact binary values to doubles, including
 * subnormal results and overflow to infinity; plus the exact slow paths for quotients and square
 * roots of quotients, which round a truncated 64-bit window and a sticky bit.
 */
final class Rounding {
  private Rounding() {}

  /**
   * Rounds {@code w·2^(top-63) + ε}, where {@code w} has its top bit set (read unsigned) and ε is
   * zero when {@code sticky} is false and otherwise in (0, 2^(top-63)).
   */
  static double round(long w, boolean sticky, int top, boolean negative) {
    long sign = negative ? Long.MIN_VALUE : 0L;
    if (top > 1023) {
      return Double.longBitsToDouble(sign | Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
    }
    int ulp = Math.max(top - 52, -1074); // exponent of the result's last significand bit
    int drop = ulp - (top - 63); // bits of w below that, at least 11
    long significand;
    boolean up;
    if (drop > 64) {
      significand = 0; // below half the smallest subnormal
      up = false;
    } else if (drop == 64) {
      significand = 0;
      up = w != Long.MIN_VALUE || sticky; // above half the smallest subnormal
    } else {
      significand = w >>> drop;
      long rest = w << (64 - drop); // the dropped bits, left-aligned: half is 2^63
      up = rest == Long.MIN_VALUE
          ? sticky || (significand & 1) != 0
          : Long.compareUnsigned(rest, Long.MIN_VALUE) > 0;
    }
    // The field arithmetic below carries a round-up into the exponent, and to infinity.
    long bits = ((long) (ulp + 1074) << 52) + significand + (up ? 1 : 0);
    return Double.longBitsToDouble(sign | bits);
  }

  /** {@code numerator / denominator · 2^exponent} rounded; both operands positive. */
  static double quotient(BigInteger numerator, BigInteger denominator, int exponent) {
    int shift = 65 - (numerator.bitLength() - denominator.bitLength()); // quotient: 65-66 bits
    BigInteger[] division = shift >= 0
        ? numerator.shiftLeft(shift).divideAndRemainder(denominator)
        : numerator.divideAndRemainder(denominator.shiftLeft(-shift));
    return roundInteger(division[0], division[1].signum() != 0, exponent - shift);
  }

  /** sqrt({@code numerator / denominator · 2^exponent}) rounded; both operands positive. */
  static double squareRootOfQuotient(BigInteger numerator, BigInteger denominator, int exponent) {
    // floor(sqrt(floor(x))) == floor(sqrt(x)): a 130+-bit integer part gives a 65+-bit root.
    int shift = 132 - (numerator.bitLength() - denominator.bitLength());
    if (((exponent - shift) & 1) != 0) {
      shift++;
    }
    BigInteger[] division = shift >= 0
        ? numerator.shiftLeft(shift).divideAndRemainder(denominator)
        : numerator.divideAndRemainder(denominator.shiftLeft(-shift));
    BigInteger[] root = division[0].sqrtAndRemainder();
    boolean inexact = division[1].signum() != 0 || root[1].signum() != 0;
    return roundInteger(root[0], inexact, (exponent - shift) / 2);
  }

  /** Rounds {@code integer·2^exponent + ε}, 0 ≤ ε < 2^exponent, ε > 0 iff sticky; 64+ bits. */
  private static double roundInteger(BigInteger integer, boolean sticky, int exponent) {
    int excess = integer.bitLength() - 64;
    boolean lost = sticky || integer.getLowestSetBit() < excess;
    long w = integer.shiftRight(excess).longValue();
    return round(w, lost, exponent + excess + 63, false);
  }
}
