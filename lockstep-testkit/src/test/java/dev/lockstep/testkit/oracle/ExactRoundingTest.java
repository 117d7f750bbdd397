package dev.lockstep.testkit.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactRoundingTest {
  private static final BigInteger ONE = BigInteger.ONE;
  private static final BigInteger TWO_53 = ONE.shiftLeft(53);

  /** IEEE division and square root are correctly rounded, so they are an independent reference. */
  @Test
  void divisionOfTwoDoublesMatchesIeeeDivisionAcrossTheWholeRange() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 5_000; i++) {
      double a = randomDouble(random);
      double b = randomDouble(random);
      double expected = a / b;
      double actual = divideExactly(a, b);
      assertThat(Double.doubleToRawLongBits(actual))
          .as("%s / %s", a, b)
          .isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  @Test
  void squareRootOfADoubleMatchesMathSqrtAcrossTheWholeRange() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 5_000; i++) {
      double a = Math.abs(randomDouble(random));
      assertThat(ExactRounding.sqrt(new BigDecimal(a), ONE)).as("sqrt(%s)", a).isEqualTo(Math.sqrt(a));
    }
  }

  @Test
  void integersBeyondTwoToThe53RoundHalfToEven() {
    assertThat(ExactRounding.divide(TWO_53.add(ONE), ONE)).isEqualTo(0x1p53);
    assertThat(ExactRounding.divide(TWO_53.add(BigInteger.valueOf(3)), ONE)).isEqualTo(0x1p53 + 4);
    assertThat(ExactRounding.divide(TWO_53.add(BigInteger.valueOf(3)).negate(), ONE)).isEqualTo(-0x1p53 - 4);
    assertThat(ExactRounding.divide(BigInteger.valueOf(1), BigInteger.valueOf(3))).isEqualTo(1.0 / 3.0);
    assertThat(ExactRounding.divide(BigInteger.valueOf(-2), BigInteger.valueOf(-4))).isEqualTo(0.5);
  }

  @Test
  void subnormalResultsRoundHalfToEvenAndKeepTheSign() {
    BigInteger twoTo1075 = ONE.shiftLeft(1075);
    // 2^-1075 is halfway between 0 and the smallest subnormal: ties to the even 0.
    assertThat(ExactRounding.divide(ONE, twoTo1075)).isEqualTo(0.0);
    assertThat(Double.doubleToRawLongBits(ExactRounding.divide(ONE.negate(), twoTo1075)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    // 1.5 · 2^-1074 ties between 1 and 2 units: to the even 2.
    assertThat(ExactRounding.divide(BigInteger.valueOf(3), twoTo1075)).isEqualTo(2 * Double.MIN_VALUE);
    // just above the half: one unit
    assertThat(ExactRounding.divide(ONE.shiftLeft(10).add(ONE), ONE.shiftLeft(1085)))
        .isEqualTo(Double.MIN_VALUE);
    assertThat(ExactRounding.divide(BigInteger.valueOf(3), ONE.shiftLeft(1076))).isEqualTo(Double.MIN_VALUE);
  }

  @Test
  void overflowRoundsToInfinityOnlyFromTheHalfwayPointAboveMaxValue() {
    BigInteger max = new BigDecimal(Double.MAX_VALUE).toBigIntegerExact();
    BigInteger halfUlp = ONE.shiftLeft(970);
    assertThat(ExactRounding.divide(max.add(halfUlp).subtract(ONE), ONE)).isEqualTo(Double.MAX_VALUE);
    // MAX_VALUE has an odd significand, so the exact midpoint rounds up, to 2^1024: infinity.
    assertThat(ExactRounding.divide(max.add(halfUlp), ONE)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ExactRounding.divide(max.add(halfUlp).negate(), ONE)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(ExactRounding.divide(ONE.shiftLeft(5000), ONE)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void squareRootsExactlyHalfwayBetweenDoublesRoundToEven() {
    BigInteger four = BigInteger.valueOf(4);
    // sqrt(((2^53 + 1) / 2)^2) = 2^52 + 0.5: halfway between 2^52 (even) and 2^52 + 1.
    BigInteger odd = TWO_53.add(ONE);
    assertThat(ExactRounding.sqrt(odd.multiply(odd), four)).isEqualTo(0x1p52);
    // 2^52 + 1.5: halfway between 2^52 + 1 and 2^52 + 2 (even).
    BigInteger odd3 = TWO_53.add(BigInteger.valueOf(3));
    assertThat(ExactRounding.sqrt(odd3.multiply(odd3), four)).isEqualTo(0x1p52 + 2);
    // one part in 2^200 above the midpoint rounds up
    BigInteger above = odd.multiply(odd).shiftLeft(200).add(ONE);
    assertThat(ExactRounding.sqrt(above, four.shiftLeft(200))).isEqualTo(0x1p52 + 1);
  }

  @Test
  void squareRootsInTheSubnormalRange() {
    // sqrt(2^-2150) = 2^-1075, halfway between 0 and the smallest subnormal
    assertThat(ExactRounding.sqrt(ONE, ONE.shiftLeft(2150))).isEqualTo(0.0);
    // sqrt(9 · 2^-2152) = 0.75 · 2^-1074
    assertThat(ExactRounding.sqrt(BigInteger.valueOf(9), ONE.shiftLeft(2152))).isEqualTo(Double.MIN_VALUE);
    assertThat(ExactRounding.sqrt(BigInteger.ZERO, ONE)).isEqualTo(0.0);
    assertThat(ExactRounding.sqrt(ONE.shiftLeft(4000), ONE)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void rejectsZeroDenominatorsAndNegativeSquareRoots() {
    assertThatThrownBy(() -> ExactRounding.divide(ONE, BigInteger.ZERO))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("Cannot round 1/0: division by zero");
    assertThatThrownBy(() -> ExactRounding.sqrt(ONE.negate(), ONE))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageStartingWith("Cannot take the square root of -1/1");
  }

  private static double divideExactly(double a, double b) {
    BigInteger[] x = fraction(a);
    BigInteger[] y = fraction(b);
    return ExactRounding.divide(x[0].multiply(y[1]), x[1].multiply(y[0]));
  }

  private static BigInteger[] fraction(double d) {
    BigDecimal exact = new BigDecimal(d);
    return exact.scale() > 0
        ? new BigInteger[] {exact.unscaledValue(), BigInteger.TEN.pow(exact.scale())}
        : new BigInteger[] {exact.toBigIntegerExact(), ONE};
  }

  /** Non-zero finite doubles with exponents spread over the whole range, subnormals included. */
  private static double randomDouble(SplittableRandom random) {
    double d;
    do {
      d = Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE);
      if (random.nextInt(4) == 0) {
        d = Double.longBitsToDouble(random.nextLong(1, 1L << 52)); // subnormal
      }
    } while (!Double.isFinite(d) || d == 0);
    return random.nextBoolean() ? d : -d;
  }
}
