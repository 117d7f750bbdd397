package dev.lockstep.engine.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {
  static byte[] bytes(ExactSum sum) {
    try {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      sum.writeTo(new DataOutputStream(buffer));
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long bits(double value) {
    return Double.doubleToRawLongBits(value);
  }

  private static void assertRoundsLikeOracle(ExactSum sum, BigDecimal exact) {
    assertThat(sum.toBigDecimal()).isEqualByComparingTo(exact);
    double expected = Oracle.round(exact);
    assertThat(bits(sum.doubleValue()))
        .as("doubleValue of %s: expected %s got %s", exact, expected, sum.doubleValue())
        .isEqualTo(bits(expected));
  }

  @Test
  void doubleValueIsTheCorrectlyRoundedExactSumOfRandomDoubles() {
    for (int seed = 0; seed < 3000; seed++) {
      RandomValues values = new RandomValues(seed);
      ExactSum sum = new ExactSum();
      BigDecimal exact = BigDecimal.ZERO;
      int size = 1 + values.random().nextInt(seed % 10 == 0 ? 300 : 12);
      for (int i = 0; i < size; i++) {
        double value = values.anyFinite();
        sum.add(value);
        exact = exact.add(new BigDecimal(value));
        if (values.random().nextInt(4) == 0) {
          assertRoundsLikeOracle(sum, exact); // reads between additions too
        }
      }
      assertRoundsLikeOracle(sum, exact);
    }
  }

  @Test
  void cancellationLeavesExactlyWhatRemains() {
    ExactSum sum = new ExactSum();
    sum.add(1e308);
    sum.add(1.0);
    sum.add(-1e308);
    assertThat(sum.doubleValue()).isEqualTo(1.0);
    assertThat(sum.longValueExact()).isEqualTo(1L);

    ExactSum beyondRange = new ExactSum();
    beyondRange.add(Double.MAX_VALUE);
    beyondRange.add(Double.MAX_VALUE); // 2·MAX is not a double, but the sum holds it
    beyondRange.add(-Double.MAX_VALUE);
    beyondRange.add(Double.MIN_VALUE);
    beyondRange.add(-Double.MAX_VALUE);
    assertThat(beyondRange.doubleValue()).isEqualTo(Double.MIN_VALUE);

    ExactSum tenths = new ExactSum();
    for (int i = 0; i < 10; i++) {
      tenths.add(0.1);
    }
    tenths.add(-1.0);
    assertThat(tenths.toBigDecimal()).isEqualByComparingTo(
        new BigDecimal(0.1).multiply(BigDecimal.TEN).subtract(BigDecimal.ONE));
    assertRoundsLikeOracle(
        tenths, Oracle.exact(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, -1));
  }

  @Test
  void roundingEdgesFollowIeee() {
    // A tie between 1 and its successor goes to 1 (even); anything above the tie goes up.
    assertThat(sumOf(1.0, 0x1p-53).doubleValue()).isEqualTo(1.0);
    assertThat(sumOf(1.0, 0x1p-53, Double.MIN_VALUE).doubleValue()).isEqualTo(Math.nextUp(1.0));
    assertThat(sumOf(Math.nextUp(1.0), 0x1p-53).doubleValue()).isEqualTo(1 + 0x1p-51);
    assertThat(sumOf(-1.0, -0x1p-53, -Double.MIN_VALUE).doubleValue()).isEqualTo(-Math.nextUp(1.0));
    // Bits just below the 64 read first still break the tie: 2^-64 shares a limb with 2^-53.
    assertThat(sumOf(1.0, 0x1p-53, 0x1p-64).doubleValue()).isEqualTo(Math.nextUp(1.0));
    assertThat(sumOf(-0x1p32, -0x1p-21, -0x1p-64).doubleValue()).isEqualTo(-Math.nextUp(0x1p32));
    // The overflow threshold MAX + ulp(MAX)/2 rounds to infinity; just below it, to MAX.
    assertThat(sumOf(Double.MAX_VALUE, 0x1p970).doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(sumOf(Double.MAX_VALUE, 0x1p970, -Double.MIN_VALUE).doubleValue())
        .isEqualTo(Double.MAX_VALUE);
    assertThat(sumOf(-Double.MAX_VALUE, -0x1p970).doubleValue())
        .isEqualTo(Double.NEGATIVE_INFINITY);
    // Below the smallest subnormal: squares of 2^-538 are 2^-1076, a quarter of MIN_VALUE.
    ExactSum tiny = new ExactSum();
    tiny.addSquare(0x1p-538);
    assertThat(bits(tiny.doubleValue())).isEqualTo(bits(0.0));
    tiny.addSquare(0x1p-538); // exactly half of MIN_VALUE: a tie, to even zero
    assertThat(bits(tiny.doubleValue())).isEqualTo(bits(0.0));
    tiny.addSquare(0x1p-538);
    assertThat(tiny.doubleValue()).isEqualTo(Double.MIN_VALUE);
    tiny.add(Double.MIN_VALUE); // 1.75 MIN_VALUE
    assertThat(tiny.doubleValue()).isEqualTo(2 * Double.MIN_VALUE);
    // The largest subnormal plus half its ulp is a tie with MIN_NORMAL, whose significand is even.
    ExactSum boundary = sumOf(Math.nextDown(Double.MIN_NORMAL));
    boundary.addSquare(0x1p-538);
    boundary.addSquare(0x1p-538);
    assertThat(boundary.doubleValue()).isEqualTo(Double.MIN_NORMAL);
    // Negative zeros add nothing: the empty sum is +0.0.
    assertThat(bits(sumOf(-0.0, -0.0).doubleValue())).isEqualTo(bits(0.0));
    assertThat(bits(sumOf(1.0, -1.0).doubleValue())).isEqualTo(bits(0.0));
  }

  @Test
  void longsAndTheirSquaresAreExact() {
    for (int seed = 0; seed < 500; seed++) {
      RandomValues values = new RandomValues(seed);
      ExactSum sum = new ExactSum();
      ExactSum squares = new ExactSum();
      BigInteger exact = BigInteger.ZERO;
      BigInteger exactSquares = BigInteger.ZERO;
      for (int i = 0, size = 1 + values.random().nextInt(20); i < size; i++) {
        long value = values.anyLong();
        sum.add(value);
        squares.addSquare(value);
        exact = exact.add(BigInteger.valueOf(value));
        exactSquares = exactSquares.add(BigInteger.valueOf(value).pow(2));
      }
      assertThat(sum.toBigDecimal()).isEqualTo(new BigDecimal(exact));
      assertThat(squares.toBigDecimal()).isEqualTo(new BigDecimal(exactSquares));
      assertRoundsLikeOracle(squares, new BigDecimal(exactSquares));
      if (exact.bitLength() < 64) {
        assertThat(sum.longValueExact()).isEqualTo(exact.longValueExact());
      } else {
        assertThatThrownBy(sum::longValueExact)
            .isInstanceOf(ArithmeticException.class)
            .hasMessage("Cannot convert exact sum to long: it is out of the long range"
                + " (use toBigDecimal())");
      }
    }
    ExactSum minimum = new ExactSum();
    minimum.add(Long.MIN_VALUE);
    assertThat(minimum.longValueExact()).isEqualTo(Long.MIN_VALUE);
    minimum.add(-1L);
    assertThatThrownBy(minimum::longValueExact).isInstanceOf(ArithmeticException.class);
    ExactSum square = new ExactSum();
    square.addSquare(Long.MIN_VALUE);
    assertThat(square.toBigDecimal()).isEqualTo(new BigDecimal(BigInteger.ONE.shiftLeft(126)));
  }

  @Test
  void squaresOfDoublesAreExactEvenBeyondTheDoubleRange() {
    for (int seed = 0; seed < 2000; seed++) {
      RandomValues values = new RandomValues(seed);
      ExactSum squares = new ExactSum();
      BigDecimal exact = BigDecimal.ZERO;
      for (int i = 0, size = 1 + values.random().nextInt(8); i < size; i++) {
        double value = values.anyFinite();
        squares.addSquare(value);
        exact = exact.add(Oracle.square(new BigDecimal(value)));
        if (values.random().nextBoolean()) {
          double plain = -Math.abs(value); // mixed with plain additions, often going negative
          squares.add(plain);
          exact = exact.add(new BigDecimal(plain));
        }
        if (values.random().nextInt(3) == 0) {
          assertRoundsLikeOracle(squares, exact); // normalizes, possibly to a negative value
        }
      }
      assertRoundsLikeOracle(squares, exact);
    }
    ExactSum extremes = new ExactSum();
    extremes.addSquare(Double.MAX_VALUE);
    extremes.addSquare(Double.MIN_VALUE);
    BigDecimal exact = Oracle.square(new BigDecimal(Double.MAX_VALUE))
        .add(Oracle.square(new BigDecimal(Double.MIN_VALUE)));
    assertThat(extremes.toBigDecimal()).isEqualByComparingTo(exact);
    assertThat(extremes.doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void orderDoesNotMatter() {
    for (int seed = 0; seed < 300; seed++) {
      RandomValues values = new RandomValues(seed);
      List<Double> list = new ArrayList<>();
      for (int i = 0, size = 1 + values.random().nextInt(60); i < size; i++) {
        list.add(values.anyDouble());
      }
      ExactSum first = sumOf(list);
      Collections.shuffle(list, values.random());
      ExactSum second = sumOf(list);
      assertThat(second).isEqualTo(first).hasSameHashCodeAs(first);
      assertThat(bytes(second)).isEqualTo(bytes(first));
      assertThat(bits(second.doubleValue())).isEqualTo(bits(first.doubleValue()));
    }
  }

  @Test
  void splittingThenMergingEqualsSummingAtOnce() {
    for (int seed = 0; seed < 300; seed++) {
      RandomValues values = new RandomValues(seed);
      Random random = values.random();
      ExactSum whole = new ExactSum();
      ExactSum[] parts = new ExactSum[1 + random.nextInt(6)];
      for (int p = 0; p < parts.length; p++) {
        parts[p] = new ExactSum();
      }
      for (int i = 0, size = random.nextInt(80); i < size; i++) {
        double value = values.anyDouble();
        whole.add(value);
        whole.addSquare(value);
        ExactSum part = parts[random.nextInt(parts.length)];
        part.add(value);
        part.addSquare(value);
      }
      ExactSum merged = new ExactSum();
      for (int p = parts.length - 1; p >= 0; p--) {
        merged.add(parts[p]);
      }
      assertThat(merged).isEqualTo(whole);
      assertThat(bytes(merged)).isEqualTo(bytes(whole));
      assertThat(bits(merged.doubleValue())).isEqualTo(bits(whole.doubleValue()));
      for (ExactSum part : parts) {
        merged.subtract(part);
      }
      assertThat(merged).isEqualTo(new ExactSum());
      assertThat(bytes(merged)).isEqualTo(bytes(new ExactSum()));
    }
  }

  @Test
  void subtractingWhatWasAddedRestoresTheState() {
    for (int seed = 0; seed < 300; seed++) {
      RandomValues values = new RandomValues(seed);
      ExactSum state = sumOf(values.anyDouble(), values.anyDouble(), values.anyDouble());
      state.add(values.anyLong());
      ExactSum before = state.copy();
      byte[] bytesBefore = bytes(before);
      ExactSum delta = new ExactSum();
      for (int i = 0, size = values.random().nextInt(10); i < size; i++) {
        delta.add(values.anyDouble());
        delta.addSquare(values.anyFinite());
      }
      state.add(delta);
      state.subtract(delta);
      assertThat(state).isEqualTo(before).hasSameHashCodeAs(before);
      assertThat(bytes(state)).isEqualTo(bytesBefore);
      assertThat(bits(state.doubleValue())).isEqualTo(bits(before.doubleValue()));
      state.subtract(delta); // and going below and back
      state.add(delta);
      assertThat(bytes(state)).isEqualTo(bytesBefore);
    }
  }

  @Test
  void aSumCanBeMergedIntoItself() {
    ExactSum sum = sumOf(0.1, -3e200, Double.MIN_VALUE, Double.NaN);
    ExactSum expected = sumOf(0.1, -3e200, Double.MIN_VALUE, Double.NaN, 0.1, -3e200,
        Double.MIN_VALUE, Double.NaN);
    sum.add(sum);
    assertThat(sum).isEqualTo(expected);
    sum.subtract(sum);
    assertThat(sum).isEqualTo(new ExactSum());
    assertThat(sum.isFinite()).isTrue();
  }

  @Test
  void nonFiniteValuesAreCountedApart() {
    assertThat(sumOf(1.0, Double.NaN).doubleValue()).isNaN();
    assertThat(sumOf(1.0, Double.POSITIVE_INFINITY).doubleValue())
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(sumOf(1.0, Double.NEGATIVE_INFINITY).doubleValue())
        .isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(sumOf(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).doubleValue()).isNaN();
    ExactSum squares = new ExactSum();
    squares.addSquare(Double.NEGATIVE_INFINITY);
    assertThat(squares.doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
    squares.addSquare(Double.NaN);
    assertThat(squares.doubleValue()).isNaN();

    ExactSum sum = sumOf(2.5, Double.NaN, Double.POSITIVE_INFINITY);
    assertThat(sum.isFinite()).isFalse();
    assertThatThrownBy(sum::toBigDecimal)
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("Cannot convert exact sum to BigDecimal: the sum holds non-finite values"
            + " (check isFinite() first)");
    assertThatThrownBy(sum::longValueExact).isInstanceOf(ArithmeticException.class);
    assertThat(sum.toString()).isEqualTo("NaN");
    sum.subtract(sumOf(Double.NaN, Double.POSITIVE_INFINITY));
    assertThat(sum.isFinite()).isTrue();
    assertThat(sum.doubleValue()).isEqualTo(2.5);
    assertThat(sum).isEqualTo(sumOf(2.5)).isNotEqualTo(sumOf(2.5, Double.NaN));
  }

  @Test
  void exactValueHasTheSmallestScale() {
    assertThat(sumOf(0.5, 0.25).toBigDecimal()).isEqualTo(new BigDecimal("0.75"));
    assertThat(sumOf(100.0).toBigDecimal()).isEqualTo(new BigDecimal("100"));
    assertThat(sumOf(-0.5).toBigDecimal()).isEqualTo(new BigDecimal("-0.5"));
    assertThat(new ExactSum().toBigDecimal()).isEqualTo(BigDecimal.ZERO);
    assertThat(sumOf(0.1).toString()).isEqualTo(new BigDecimal(0.1).toPlainString());
    assertThat(sumOf(1e20).toString()).isEqualTo("100000000000000000000");
    assertThatThrownBy(() -> sumOf(0.5).longValueExact())
        .isInstanceOf(ArithmeticException.class)
        .hasMessage(
            "Cannot convert exact sum to long: it has a fractional part (use doubleValue())");
  }

  @Test
  void copyAndClearAreIndependent() {
    ExactSum sum = sumOf(1.5, Double.NaN);
    ExactSum copy = sum.copy();
    sum.add(1.0);
    assertThat(copy).isEqualTo(sumOf(1.5, Double.NaN));
    sum.clear();
    assertThat(sum).isEqualTo(new ExactSum());
    assertThat(bytes(sum)).isEqualTo(bytes(new ExactSum()));
    sum.add(-7.0);
    assertThat(sum.doubleValue()).isEqualTo(-7.0);
    assertThat(copy.doubleValue()).isNaN();
  }

  @Test
  void equalityIsByValue() {
    ExactSum a = sumOf(0.25, 0.5);
    ExactSum b = sumOf(0.75);
    ExactSum c = new ExactSum();
    c.add(3L);
    c.add(-2.25);
    assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b).hasSameHashCodeAs(c);
    assertThat(a).isNotEqualTo(sumOf(-0.75)).isNotEqualTo(sumOf(0.75 + 0x1p-52));
    assertThat(a).isNotEqualTo(sumOf(0.75, Double.NEGATIVE_INFINITY)).isNotEqualTo("0.75");
    assertThat(sumOf(0x1p-100)).isNotEqualTo(sumOf(0x1p-68)); // same limb pattern, other place
  }

  @Test
  void carriesStayExactPastTheNormalizationInterval() {
    // 2^30 + 3 additions of a value whose pieces fill whole limbs cross the point where pending
    // carries are propagated; the total must still be exact.
    double value = -Math.scalb((double) ((1L << 53) - 1), -42); // all-ones significand
    long count = (1L << 30) + 3;
    ExactSum sum = new ExactSum();
    for (long i = 0; i < count; i++) {
      sum.add(value);
    }
    BigDecimal exact = new BigDecimal(value).multiply(BigDecimal.valueOf(count));
    assertRoundsLikeOracle(sum, exact);
  }

  @Test
  void mergingASumIntoItselfEndsAtTheRangeLimit() {
    ExactSum sum = sumOf(Double.MAX_VALUE);
    assertThatThrownBy(() -> {
          for (int i = 0; i < 40000; i++) {
            sum.add(sum);
          }
        })
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("Cannot add to exact sum: the magnitude would reach 2^32768"
            + " (only merging a sum into itself very many times gets there)");
    BigDecimal before = sum.toBigDecimal(); // still consistent after the refusal
    assertThat(sum.toBigDecimal()).isEqualByComparingTo(before);
    assertThat(sum.toBigDecimal().unscaledValue().bitLength()).isGreaterThan(32000);
  }

  static ExactSum sumOf(double... values) {
    ExactSum sum = new ExactSum();
    for (double value : values) {
      sum.add(value);
    }
    return sum;
  }

  static ExactSum sumOf(List<Double> values) {
    ExactSum sum = new ExactSum();
    for (double value : values) {
      sum.add(value);
    }
    return sum;
  }
}
