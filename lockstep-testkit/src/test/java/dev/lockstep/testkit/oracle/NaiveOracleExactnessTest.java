package dev.lockstep.testkit.oracle;

import static dev.lockstep.api.AggregationFunction.STDDEV_POP;
import static dev.lockstep.api.AggregationFunction.STDDEV_SAMP;
import static dev.lockstep.api.AggregationFunction.VAR_POP;
import static dev.lockstep.api.AggregationFunction.VAR_SAMP;
import static dev.lockstep.testkit.oracle.NaiveOracleFunctionsTest.evaluate;
import static dev.lockstep.testkit.oracle.NaiveOracleFunctionsTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sums, means and variances are the exact rational rounded once, ties to even. */
class NaiveOracleExactnessTest {
  private static final MathContext WIDE = new MathContext(200);

  @Test
  void sumOfTenTimesPointOneIsTheCorrectlyRoundedExactSum() {
    List<OracleEvent> tenths = events(Collections.nCopies(10, 0.1).toArray());
    // The double 0.1 is 0.1000000000000000055511151231257827021181583404541015625; ten of them
    // make exactly 1.000000000000000055511151231257827021181583404541015625, which is 5.55e-17
    // above 1.0 and 1.67e-16 below the next double (1 + 2^-52): the nearest double is 1.0.
    BigDecimal exact = new BigDecimal("1.000000000000000055511151231257827021181583404541015625");
    assertThat(new BigDecimal(0.1).multiply(BigDecimal.TEN)).isEqualByComparingTo(exact);
    assertThat(exact.subtract(BigDecimal.ONE))
        .isLessThan(new BigDecimal(Math.nextUp(1.0)).subtract(exact));
    double naive = 0;
    for (int i = 0; i < 10; i++) {
      naive += 0.1;
    }
    assertThat(naive).isEqualTo(0.9999999999999999);
    assertThat(evaluate(Aggregation.sum("x"), ValueType.DOUBLE, tenths)).isEqualTo(1.0);
  }

  @Test
  void sumsDoNotLoseTermsToIntermediateRoundingOrOverflow() {
    assertThat(sum(1.0, 1e100, 1.0, -1e100)).isEqualTo(2.0);
    assertThat(sum(1e308, 1e308, -1e308)).isEqualTo(1e308);
    assertThat(sum(Double.MAX_VALUE, Double.MAX_VALUE)).isEqualTo(Double.POSITIVE_INFINITY);
    // MAX_VALUE + half its ulp is a tie; MAX_VALUE's significand is odd, so it rounds up to 2^1024.
    assertThat(sum(Double.MAX_VALUE, 0x1p970)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(sum(Double.MAX_VALUE, 0x1p969)).isEqualTo(Double.MAX_VALUE);
    assertThat(sum(Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
  }

  @Test
  void anExactZeroIsPositiveZero() {
    for (Object[] values : List.of(new Object[] {-0.0}, new Object[] {-0.0, -0.0}, new Object[] {1.5, -1.5})) {
      assertThat(Double.doubleToRawLongBits((Double) evaluate(Aggregation.sum("x"), ValueType.DOUBLE, events(values))))
          .isZero();
      assertThat(Double.doubleToRawLongBits((Double) evaluate(Aggregation.mean("x"), ValueType.DOUBLE, events(values))))
          .isZero();
    }
  }

  @Test
  void meanIsTheExactSumDividedByTheCountRoundedOnceWithTiesToEven() {
    // 0.1 = a · 2^-56 and 0.2 = a · 2^-55 with a = 7205759403792794, so their mean is 3a · 2^-57 =
    // 21617278211378382 · 2^-57 = 5404319552844595.5 · 2^-55: a tie between two doubles, which goes
    // to the even significand 5404319552844596.
    long a = 7205759403792794L;
    assertThat(new BigDecimal(0.1)).isEqualByComparingTo(new BigDecimal(a).divide(new BigDecimal(2).pow(56)));
    assertThat(3 * a).isEqualTo(21617278211378382L);
    assertThat(3 * a % 4).isEqualTo(2); // exactly halfway
    double expected = Math.scalb(5404319552844596.0, -55);
    assertThat(expected).isEqualTo(0.15000000000000002);
    assertThat(evaluate(Aggregation.mean("x"), ValueType.DOUBLE, events(0.1, 0.2))).isEqualTo(expected);
  }

  @Test
  void longsAreExactIntegers() {
    assertThat(evaluate(Aggregation.sum("x"), ValueType.LONG, events(Long.MAX_VALUE, 1L, -1L))).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> evaluate(Aggregation.sum("x"), ValueType.LONG, events(Long.MAX_VALUE, 1L)))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("Cannot sum 2 long values: the exact sum 9223372036854775808 does not fit a long");
    assertThat(evaluate(Aggregation.mean("x"), ValueType.LONG, events(Long.MAX_VALUE, Long.MAX_VALUE))).isEqualTo(0x1p63);
    assertThat(evaluate(Aggregation.mean("x"), ValueType.LONG, events(Long.MAX_VALUE, 1L))).isEqualTo(0x1p62);
    assertThat(evaluate(Aggregation.mean("x"), ValueType.LONG, events((1L << 53) + 1))).isEqualTo(0x1p53);
    // values MAX and MIN: mean -1/2, population variance ((2^64 − 1) / 2)^2 = 2^126 − 2^63 + 1/4,
    // within half an ulp (2^72) of 2^126; the deviation (2^64 − 1) / 2 rounds to 2^63.
    List<OracleEvent> extremes = events(Long.MAX_VALUE, Long.MIN_VALUE);
    assertThat(evaluate(Aggregation.mean("x"), ValueType.LONG, extremes)).isEqualTo(-0.5);
    assertThat(evaluate(Aggregation.of(VAR_POP, "x"), ValueType.LONG, extremes)).isEqualTo(0x1p126);
    assertThat(evaluate(Aggregation.of(STDDEV_POP, "x"), ValueType.LONG, extremes)).isEqualTo(0x1p63);
  }

  @Test
  void variancesOfSmallIntegers() {
    // 1, 2, 3, 4: mean 5/2, squared deviations 9/4 + 1/4 + 1/4 + 9/4 = 5
    List<OracleEvent> values = events(4L, 1L, 3L, 2L);
    assertThat(evaluate(Aggregation.of(VAR_POP, "x"), ValueType.LONG, values)).isEqualTo(1.25);
    assertThat(evaluate(Aggregation.of(VAR_SAMP, "x"), ValueType.LONG, values)).isEqualTo(5.0 / 3.0);
    assertThat(evaluate(Aggregation.of(STDDEV_POP, "x"), ValueType.LONG, values)).isEqualTo(Math.sqrt(1.25));
    double rootFiveThirds = new BigDecimal(5).divide(new BigDecimal(3), WIDE).sqrt(WIDE).doubleValue();
    assertThat(evaluate(Aggregation.of(STDDEV_SAMP, "x"), ValueType.LONG, values)).isEqualTo(rootFiveThirds);
  }

  @Test
  void varianceDoesNotSufferCatastrophicCancellation() {
    double[] values = {1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3};
    // reference: the two-pass formula in 200-digit decimal arithmetic
    BigDecimal mean = BigDecimal.ZERO;
    for (double value : values) {
      mean = mean.add(new BigDecimal(value));
    }
    mean = mean.divide(new BigDecimal(3), WIDE);
    BigDecimal squares = BigDecimal.ZERO;
    for (double value : values) {
      BigDecimal deviation = new BigDecimal(value).subtract(mean);
      squares = squares.add(deviation.multiply(deviation));
    }
    double expected = squares.divide(new BigDecimal(2), WIDE).doubleValue();
    assertThat(expected).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(evaluate(Aggregation.of(VAR_SAMP, "x"), ValueType.DOUBLE, events(1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3)))
        .isEqualTo(expected);
  }

  @Test
  void standardDeviationExactlyHalfwayBetweenDoublesRoundsToEven() {
    // population stddev of {0, d} is d / 2; with d = 2^53 + 1 that is 2^52 + 1/2, a tie.
    assertThat(evaluate(Aggregation.of(STDDEV_POP, "x"), ValueType.LONG, events(0L, (1L << 53) + 1))).isEqualTo(0x1p52);
    // d = 2^53 + 3 gives 2^52 + 3/2, halfway between 2^52 + 1 and the even 2^52 + 2.
    assertThat(evaluate(Aggregation.of(STDDEV_POP, "x"), ValueType.LONG, events(0L, (1L << 53) + 3)))
        .isEqualTo(0x1p52 + 2);
    // {0, 2^-1074}: variance 2^-2150 and deviation 2^-1075, a tie between 0 and 2^-1074.
    assertThat(evaluate(Aggregation.of(STDDEV_POP, "x"), ValueType.DOUBLE, events(0.0, Double.MIN_VALUE))).isEqualTo(0.0);
    // sample: {0, 2^-1074}: variance 2^-2149, deviation 2^-1074.5 ≈ 0.707 · 2^-1074
    assertThat(evaluate(Aggregation.of(STDDEV_SAMP, "x"), ValueType.DOUBLE, events(0.0, Double.MIN_VALUE)))
        .isEqualTo(Double.MIN_VALUE);
  }

  @Test
  void nonFiniteValuesFollowIeee() {
    assertThat(sum(1.0, Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(sum(Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MAX_VALUE)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(sum(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)).isNaN();
    assertThat(sum(Double.NaN, 1.0)).isNaN();
    assertThat(evaluate(Aggregation.mean("x"), ValueType.DOUBLE, events(Double.NEGATIVE_INFINITY, 2.0)))
        .isEqualTo(Double.NEGATIVE_INFINITY);
    for (AggregationFunction function : List.of(VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP)) {
      assertThat(evaluate(Aggregation.of(function, "x"), ValueType.DOUBLE, events(1.0, Double.POSITIVE_INFINITY)))
          .as("%s", function)
          .isEqualTo(Double.NaN);
    }
  }

  private static double sum(Object... values) {
    return (Double) evaluate(Aggregation.sum("x"), ValueType.DOUBLE, events(values));
  }
}
