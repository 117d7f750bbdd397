package dev.lockstep.engine.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** White-box checks of carry propagation on arbitrary carry-save limbs. */
class FixedPointTest {

  /** The value of carry-save limbs, computed independently with BigInteger. */
  private static BigDecimal valueOf(long[] limbs, int base, boolean negative) {
    BigInteger sum = BigInteger.ZERO;
    for (int i = limbs.length - 1; i >= 0; i--) {
      sum = sum.shiftLeft(32).add(BigInteger.valueOf(limbs[i]));
    }
    BigDecimal value = Oracle.dyadic(sum, 32 * base);
    return negative ? value.negate() : value;
  }

  private static void assertNormal(FixedPoint number) {
    number.normalize();
    for (int i = 0; i < number.limbs.length; i++) {
      assertThat(number.limbs[i]).isBetween(0L, FixedPoint.LIMB_MASK);
      if (i < number.low || i > number.high) {
        assertThat(number.limbs[i]).as("limb %s outside %s..%s", i, number.low, number.high)
            .isZero();
      }
    }
    if (number.high >= number.low) {
      assertThat(number.limbs[number.low]).isNotZero();
      assertThat(number.limbs[number.high]).isNotZero();
    } else {
      assertThat(number.negative).isFalse();
    }
  }

  @Test
  void arbitraryCarrySaveLimbsNormalizeToTheirValue() {
    Random random = new Random(31);
    for (int trial = 0; trial < 5000; trial++) {
      long[] limbs = new long[1 + random.nextInt(8)];
      for (int i = 0; i < limbs.length; i++) {
        switch (random.nextInt(4)) {
          case 0:
            limbs[i] = 0;
            break;
          case 1:
            limbs[i] = random.nextLong() >> 1; // up to ±2^62: carries beyond the array
            break;
          case 2:
            limbs[i] = -(random.nextLong() >>> 32);
            break;
          default:
            limbs[i] = random.nextLong() >>> 32;
        }
      }
      int base = random.nextInt(40) - 20;
      boolean negative = random.nextBoolean();
      BigDecimal expected = valueOf(limbs.clone(), base, negative);
      FixedPoint number = new FixedPoint(limbs, base, negative);
      assertNormal(number);
      assertThat(number.exactValue()).isEqualByComparingTo(expected);
      assertThat(Double.doubleToRawLongBits(number.roundToDouble()))
          .isEqualTo(Double.doubleToRawLongBits(Oracle.round(expected)));
    }
  }

  @Test
  void aNegativeValueOfExactlyTwoToTheArrayWidthGetsAnotherLimb() {
    // Limbs {0, -2^32} propagate to all zeros and a final borrow: the magnitude is 2^64.
    FixedPoint number = new FixedPoint(new long[] {0, -(1L << 32)}, 3, false);
    assertNormal(number);
    assertThat(number.negative).isTrue();
    assertThat(number.exactValue()).isEqualTo(new BigDecimal(BigInteger.ONE.shiftLeft(64 + 96))
        .negate());
    FixedPoint minimum = new FixedPoint(new long[] {Long.MIN_VALUE}, 0, true);
    assertNormal(minimum);
    assertThat(minimum.exactValue()).isEqualTo(new BigDecimal(BigInteger.ONE.shiftLeft(63)));
  }

  @Test
  void additionsKeepWorkingAfterNormalizingToANegativeValue() {
    FixedPoint number = new FixedPoint(new long[] {5, -7}, 0, false); // 5 − 7·2^32
    assertNormal(number);
    number.addShifted(3, 32, 0); // + 3·2^32
    number.addShifted128(0, 1L << 40, -8); // + 2^32
    assertThat(number.exactValue())
        .isEqualByComparingTo(BigDecimal.valueOf(5 - 3 * (1L << 32)));
  }
}
