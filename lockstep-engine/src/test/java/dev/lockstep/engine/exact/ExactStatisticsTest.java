package dev.lockstep.engine.exact;

import static dev.lockstep.engine.exact.ExactSumTest.sumOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.engine.exact.ExactStatistics.Path;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactStatisticsTest {

  /** Exact inputs: the sums, their exact values and the count. */
  private static final class Inputs {
    final ExactSum sum = new ExactSum();
    final ExactSum squares = new ExactSum();
    BigDecimal exactSum = BigDecimal.ZERO;
    BigDecimal exactSquares = BigDecimal.ZERO;
    long count;

    static Inputs of(double... values) {
      Inputs inputs = new Inputs();
      for (double value : values) {
        inputs.sum.add(value);
        inputs.squares.addSquare(value);
        inputs.exactSum = inputs.exactSum.add(new BigDecimal(value));
        inputs.exactSquares = inputs.exactSquares.add(Oracle.square(new BigDecimal(value)));
      }
      inputs.count = values.length;
      return inputs;
    }

    void addToSum(double value) {
      sum.add(value);
      exactSum = exactSum.add(new BigDecimal(value));
    }

    void addToSquares(double value) {
      squares.add(value);
      exactSquares = exactSquares.add(new BigDecimal(value));
    }

    void addSquareToSquares(double value) {
      squares.addSquare(value);
      exactSquares = exactSquares.add(Oracle.square(new BigDecimal(value)));
    }

    double expectedMean() {
      return Oracle.quotient(exactSum, BigDecimal.valueOf(count));
    }

    BigDecimal numerator() {
      return BigDecimal.valueOf(count).multiply(exactSquares).subtract(Oracle.square(exactSum));
    }

    BigDecimal denominator(boolean sample) {
      return BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(sample ? count - 1 : count));
    }

    double expectedVariance(boolean sample) {
      BigDecimal numerator = numerator();
      return numerator.signum() <= 0 ? 0.0 : Oracle.quotient(numerator, denominator(sample));
    }

    double expectedStandardDeviation(boolean sample) {
      BigDecimal numerator = numerator();
      return numerator.signum() <= 0
          ? 0.0
          : Oracle.squareRootOfQuotient(numerator, denominator(sample));
    }
  }

  /** How often the fast paths could not decide, among cases they are meant for. */
  private int undecided;
  private int undecidedFromSums;
  private int eligible;

  private static long bits(double value) {
    return Double.doubleToRawLongBits(value);
  }

  /** Checks every statistic on every path against the oracle; counts fast-path refusals. */
  private void assertMatchesOracle(Inputs inputs) {
    check("mean", inputs.expectedMean(),
        path -> ExactStatistics.mean(inputs.sum, inputs.count, path));
    for (boolean sample : new boolean[] {false, true}) {
      if (sample && inputs.count < 2) {
        continue;
      }
      check("variance", inputs.expectedVariance(sample),
          path -> ExactStatistics.variance(inputs.sum, inputs.squares, inputs.count, sample, path));
      check("standard deviation", inputs.expectedStandardDeviation(sample),
          path -> ExactStatistics.standardDeviation(
              inputs.sum, inputs.squares, inputs.count, sample, path));
    }
  }

  private interface Statistic {
    double compute(Path path);
  }

  private void check(String name, double expected, Statistic statistic) {
    assertThat(bits(statistic.compute(Path.FAST_THEN_EXACT)))
        .as("%s: expected %s got %s", name, expected, statistic.compute(Path.FAST_THEN_EXACT))
        .isEqualTo(bits(expected));
    assertThat(bits(statistic.compute(Path.EXACT_ONLY))).as("%s, exact path", name)
        .isEqualTo(bits(expected));
    double fast = statistic.compute(Path.FAST_ONLY);
    double fromSums = statistic.compute(Path.FROM_SUMS_ONLY);
    for (double approximate : new double[] {fast, fromSums}) {
      if (!Double.isNaN(approximate)) {
        assertThat(bits(approximate)).as("%s, fast path", name).isEqualTo(bits(expected));
      }
      if (expected != 0 && Math.abs(expected) < Double.MIN_NORMAL) {
        assertThat(approximate).as("%s: fast paths leave subnormal results alone", name).isNaN();
      }
    }
    double magnitude = Math.abs(expected);
    if (magnitude >= 0x1p-1000 && magnitude <= 0x1p1000) {
      eligible++;
      undecided += Double.isNaN(fast) ? 1 : 0;
      undecidedFromSums += Double.isNaN(fromSums) ? 1 : 0;
    }
  }

  @Test
  void randomDataSetsMatchTheOracle() {
    for (int seed = 0; seed < 1500; seed++) {
      RandomValues values = new RandomValues(seed);
      int size = 1 + values.random().nextInt(seed % 20 == 0 ? 500 : 20);
      assertMatchesOracle(Inputs.of(values.dataSet(size)));
    }
    // The fast path must decide almost everything it is meant for.
    assertThat(eligible).isGreaterThan(5000);
    assertThat(undecided).as("undecided of %s", eligible).isLessThanOrEqualTo(eligible / 100);
  }

  @Test
  void everydayDataIsDecidedFromTheSumsAlone() {
    for (int seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      double[] money = new double[1 + random.nextInt(200)];
      for (int i = 0; i < money.length; i++) {
        money[i] = Math.round(random.nextGaussian() * 1e6) / 100.0;
      }
      assertMatchesOracle(Inputs.of(money));
    }
    assertThat(undecidedFromSums).as("undecided of %s", eligible)
        .isLessThanOrEqualTo(eligible / 100);
  }

  @Test
  void heavyCancellationIsStillDecidedFast() {
    Random random = new Random(7);
    double[] timestamps = new double[1000];
    for (int i = 0; i < timestamps.length; i++) {
      timestamps[i] = 1.7e15 + random.nextInt(1000) * 0.125; // spread 2^-47 of the mean
    }
    Inputs inputs = Inputs.of(timestamps);
    assertMatchesOracle(inputs);
    assertThat(undecided).isZero();
    // n·Q and S² agree in about 90 bits: beyond the sums-only tier, within the exact numerator's.
    assertThat(ExactStatistics.variance(
            inputs.sum, inputs.squares, inputs.count, true, Path.FROM_SUMS_ONLY))
        .isNaN();
    assertThat(ExactStatistics.variance(
            inputs.sum, inputs.squares, inputs.count, true, Path.FAST_ONLY))
        .isEqualTo(inputs.expectedVariance(true));
  }

  /** A significand-rich double, or sometimes the one just below a power of two. */
  private static double anchor(Random random, int exponentRange) {
    int exponent = random.nextInt(2 * exponentRange) - exponentRange;
    return random.nextInt(4) == 0
        ? Math.nextDown(Math.scalb(1.0, exponent))
        : Math.scalb(1 + random.nextDouble(), exponent);
  }

  /**
   * An offset of {@code scale · 2^-depth} (one of several depths, from just beyond the 106 bits of
   * the fast path to far below the 64-bit windows of the exact path) with a random sign; 0 for
   * exact ties. Returns the depth through {@code depth[0]} (0 for a tie).
   */
  private static double nudge(Random random, double scale, int[] depth) {
    int[] depths = {0, 0, 9, 11, 12, 13, 56, 60, 70, 100, 101, 110, 130, 150, 200};
    depth[0] = depths[random.nextInt(depths.length)];
    if (depth[0] == 0) {
      return 0;
    }
    return (random.nextBoolean() ? 1 : -1) * Math.scalb(scale, -depth[0]);
  }

  @Test
  void meansAtAndNearMidpointsAreCorrectlyRounded() {
    Random random = new Random(11);
    int[] depth = new int[1];
    for (int trial = 0; trial < 1000; trial++) {
      double d = anchor(random, 200);
      double halfUlp = Math.ulp(d) / 2;
      int count = random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(50);
      Inputs inputs = new Inputs();
      inputs.count = count;
      for (int i = 0; i < count; i++) { // the sum is count · (d + halfUlp): a midpoint mean
        inputs.addToSum(d);
        inputs.addToSum(halfUlp);
      }
      inputs.addToSum(nudge(random, Math.ulp(d), depth) * count);
      if (random.nextBoolean()) {
        negate(inputs);
      }
      assertMatchesOracle(inputs);
      if (depth[0] == 0 || depth[0] >= 100) { // within 2^-100 relative, below 1e-30
        assertThat(ExactStatistics.mean(inputs.sum, count, Path.FAST_ONLY)).isNaN();
      }
    }
  }

  @Test
  void variancesAtAndNearMidpointsAreCorrectlyRounded() {
    Random random = new Random(13);
    for (int trial = 0; trial < 300; trial++) {
      // Population variance of {ε, v} is (v − ε)² / 4; for an odd v in [2^26.5, 2^27), v² has 54
      // bits, so ε = 0 is a tie and a tiny ε lies within 2^-100 of it.
      long v = (94906267L + random.nextInt(39311456)) | 1;
      double epsilon = trial % 3 == 0 ? 0.0 : (trial % 3 == 1 ? 1 : -1) * 0x1p-80;
      Inputs inputs = Inputs.of(epsilon, (double) v);
      assertMatchesOracle(inputs);
      assertThat(ExactStatistics.variance(inputs.sum, inputs.squares, 2, false, Path.FAST_ONLY))
          .isNaN();
    }
    int[] depth = new int[1];
    for (int trial = 0; trial < 1000; trial++) {
      // Sums built directly: S = 0 and Q = (n − 1)·m + δ make the sample variance m + δ/(n − 1).
      double d = anchor(random, 300);
      int count = 2 + random.nextInt(30);
      Inputs inputs = new Inputs();
      inputs.count = count;
      for (int i = 0; i < count - 1; i++) {
        inputs.addToSquares(d);
        inputs.addToSquares(Math.ulp(d) / 2);
      }
      inputs.addToSquares(nudge(random, Math.ulp(d), depth) * (count - 1));
      assertMatchesOracle(inputs);
      if (depth[0] == 0 || depth[0] >= 100) {
        assertThat(ExactStatistics.variance(
                inputs.sum, inputs.squares, count, true, Path.FAST_ONLY))
            .isNaN();
      }
    }
  }

  @Test
  void tiedVariancesWithHeavyCancellationAreCorrectlyRounded() {
    // {c + a, c − a} with a 53-bit integer c ≫ a: the population variance a² is a tie (odd a in
    // [2^26.5, 2^27)), the sample variance 2a² too, while n·Q and S² cancel in up to 50 bits.
    Random random = new Random(41);
    for (int trial = 0; trial < 1000; trial++) {
      long a = (94906267L + random.nextInt(39311456)) | 1;
      long c = (1L << 52 | random.nextLong() >>> 12) >>> random.nextInt(20);
      double scale = Math.scalb(1.0, random.nextInt(200) - 100);
      Inputs inputs = Inputs.of((double) (c + a) * scale, (double) (c - a) * scale);
      assertMatchesOracle(inputs);
    }
  }

  @Test
  void standardDeviationsAtAndNearMidpointsAreCorrectlyRounded() {
    Random random = new Random(17);
    for (int trial = 0; trial < 300; trial++) {
      // Population deviation of {2d, -ulp(d)} is d + ulp(d)/2, a midpoint; nudged by 2^-53 ulp.
      double d = anchor(random, 300);
      double ulp = Math.ulp(d);
      double below =
          trial % 3 == 0 ? -ulp : trial % 3 == 1 ? -Math.nextUp(ulp) : -Math.nextDown(ulp);
      Inputs inputs = Inputs.of(2 * d, below);
      assertMatchesOracle(inputs);
      assertThat(ExactStatistics.standardDeviation(
              inputs.sum, inputs.squares, 2, false, Path.FAST_ONLY))
          .isNaN();
    }
    int[] depth = new int[1];
    for (int trial = 0; trial < 1000; trial++) {
      // S = 0 and Q = (n − 1)·(m² + δ), m = d + h a midpoint: m² = d² + 2dh + h², each exact.
      double d = anchor(random, 300);
      double h = Math.ulp(d) / 2;
      int count = 2 + random.nextInt(30);
      Inputs inputs = new Inputs();
      inputs.count = count;
      for (int i = 0; i < count - 1; i++) {
        inputs.addSquareToSquares(d);
        inputs.addToSquares(2 * d * h);
        inputs.addSquareToSquares(h);
      }
      inputs.addToSquares(nudge(random, d * Math.ulp(d), depth) * (count - 1));
      assertMatchesOracle(inputs);
      if (depth[0] == 0 || depth[0] >= 100) {
        assertThat(ExactStatistics.standardDeviation(
                inputs.sum, inputs.squares, count, true, Path.FAST_ONLY))
            .isNaN();
      }
    }
  }

  @Test
  void subnormalResultsAreRoundedAtTheirOwnPrecision() {
    Random random = new Random(29);
    for (int trial = 0; trial < 600; trial++) {
      // Means of values near 2^-1040..2^-1070, variances of values near 2^-525..2^-545.
      int exponent = trial % 2 == 0 ? -1040 - random.nextInt(30) : -525 - random.nextInt(20);
      double offset = random.nextInt(3) * random.nextDouble();
      double[] data = new double[2 * (1 + random.nextInt(10))];
      boolean symmetric = random.nextBoolean(); // then S = 0 while Q is far below 2^-1000
      for (int i = 0; i < data.length; i++) {
        data[i] = symmetric && i % 2 == 1
            ? -data[i - 1]
            : Math.scalb(offset + random.nextGaussian(), exponent);
      }
      assertMatchesOracle(Inputs.of(data));
    }
  }

  @Test
  void meansNearSubnormalMidpointsAreCorrectlyRounded() {
    // count = 2^p and S = count·(d + 2^-1075) ± k·2^-1074: the mean lies 2^-(1074+p) from a
    // midpoint between subnormals, closer than a 53-bit rounding of it can tell.
    Random random = new Random(37);
    for (int trial = 0; trial < 400; trial++) {
      int p = 30 + random.nextInt(24);
      long count = 1L << p;
      double d = Double.longBitsToDouble(random.nextLong() & ((1L << 52) - 1));
      Inputs inputs = new Inputs();
      inputs.count = count;
      inputs.addToSum(Math.scalb(d, p));
      inputs.addToSum(Math.scalb(1.0, p - 1075));
      inputs.addToSum((random.nextInt(5) - 2) * Double.MIN_VALUE);
      assertMatchesOracle(inputs);
    }
  }

  @Test
  void largeCountsUseAnInexactDoubleDenominatorCorrectly() {
    // For count · (count − 1) ≥ 2^53 the fast path divides by a double-double.
    Random random = new Random(23);
    for (int trial = 0; trial < 2000; trial++) {
      Inputs inputs = new Inputs();
      inputs.count = (1L << 27) + (random.nextLong() >>> (11 + random.nextInt(26)));
      double mean = random.nextGaussian() * 100;
      inputs.addToSum(mean * inputs.count);
      inputs.addToSum(random.nextGaussian());
      inputs.addToSquares(mean * mean * inputs.count);
      inputs.addToSquares(Math.abs(random.nextGaussian()) * inputs.count * 50);
      assertMatchesOracle(inputs);
    }
    assertThat(undecided).isLessThanOrEqualTo(eligible / 100);
  }

  @Test
  void extremeResultsRoundLikeIeee() {
    assertMatchesOracle(Inputs.of(Double.MIN_VALUE, 0, 0)); // mean MIN/3 rounds to 0
    assertMatchesOracle(Inputs.of(Double.MIN_VALUE, Double.MIN_VALUE, 0)); // 2/3 MIN: to MIN
    assertMatchesOracle(Inputs.of(Double.MAX_VALUE, Double.MAX_VALUE)); // S beyond the range
    assertMatchesOracle(Inputs.of(Double.MAX_VALUE, -Double.MAX_VALUE)); // variance overflows
    assertMatchesOracle(Inputs.of(1e-300, -1e-300, 3e-300)); // variance underflows
    assertMatchesOracle(Inputs.of(1e-160, -1e-160, 3e-161)); // subnormal variance
    assertMatchesOracle(Inputs.of(Double.MIN_VALUE, -Double.MIN_VALUE));
    assertMatchesOracle(Inputs.of(1e300, 1e-300, -1e-20, 12345.678));
    Inputs one = Inputs.of(-2.5);
    assertMatchesOracle(one);
    assertThat(ExactStatistics.variance(one.sum, one.squares, 1, false)).isZero();
    assertThat(ExactStatistics.mean(one.sum, 1)).isEqualTo(-2.5);
    Inputs constant = Inputs.of(0.1, 0.1, 0.1);
    assertThat(ExactStatistics.standardDeviation(constant.sum, constant.squares, 3, true))
        .isZero();
  }

  @Test
  void countsBeyondTwoToTheFiftyThreeUseExactArithmetic() {
    Random random = new Random(19);
    for (int trial = 0; trial < 100; trial++) {
      Inputs inputs = new Inputs();
      inputs.count = (1L << 53) + 1 + (random.nextLong() >>> 11);
      for (int i = 0; i < 5; i++) {
        inputs.addToSum(random.nextGaussian() * 1e18);
        inputs.addSquareToSquares(random.nextGaussian() * 1e18);
      }
      inputs.addToSquares(1e40); // keep n·Q above S² on most trials
      assertMatchesOracle(inputs);
      assertThat(ExactStatistics.mean(inputs.sum, inputs.count, Path.FAST_ONLY)).isNaN();
    }
    Inputs longs = new Inputs();
    longs.count = Long.MAX_VALUE;
    longs.addToSum(Long.MAX_VALUE);
    assertThat(ExactStatistics.mean(longs.sum, Long.MAX_VALUE)).isEqualTo(1.0);
  }

  @Test
  void inconsistentSumsClampTheVarianceToZero() {
    Inputs inputs = new Inputs();
    inputs.count = 2;
    inputs.addToSum(10);
    inputs.addToSquares(1); // 2·1 − 10² < 0: not sums of the same values
    assertThat(inputs.numerator().signum()).isNegative();
    assertThat(bits(ExactStatistics.variance(inputs.sum, inputs.squares, 2, true))).isZero();
    assertThat(bits(ExactStatistics.standardDeviation(inputs.sum, inputs.squares, 2, false)))
        .isZero();
    Inputs negativeSquares = new Inputs();
    negativeSquares.count = 2;
    negativeSquares.addToSum(0.5);
    negativeSquares.addToSquares(-1); // a negative sum of squares: only from subtraction
    assertThat(bits(ExactStatistics.variance(
            negativeSquares.sum, negativeSquares.squares, 2, false))).isZero();
  }

  @Test
  void nonFiniteInputsGiveNaNOrTheSumsOwnValue() {
    ExactSum finite = sumOf(1.0, 2.0);
    ExactSum squares = sumOf(1.0, 4.0);
    ExactSum infinite = sumOf(1.0, Double.POSITIVE_INFINITY);
    assertThat(ExactStatistics.mean(infinite, 2)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ExactStatistics.mean(sumOf(Double.NaN), 2)).isNaN();
    assertThat(ExactStatistics.variance(infinite, squares, 2, true)).isNaN();
    assertThat(ExactStatistics.variance(finite, sumOf(Double.NaN), 2, false)).isNaN();
    assertThat(ExactStatistics.standardDeviation(finite, infinite, 2, true)).isNaN();
    assertThat(ExactStatistics.mean(new ExactSum(), 3)).isZero();
  }

  @Test
  void countsOutOfRangeAreRejected() {
    ExactSum sum = sumOf(1.0);
    assertThatThrownBy(() -> ExactStatistics.mean(sum, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute mean: count is 0 (pass the number of values summed, > 0)");
    assertThatThrownBy(() -> ExactStatistics.variance(sum, sum, 1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute sample variance: count is 1 (a sample needs at least 2 values)");
    assertThatThrownBy(() -> ExactStatistics.standardDeviation(sum, sum, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute population standard deviation: count is 0 (it needs a value)");
  }

  private static void negate(Inputs inputs) {
    ExactSum negated = new ExactSum();
    negated.subtract(inputs.sum);
    inputs.sum.clear();
    inputs.sum.add(negated);
    inputs.exactSum = inputs.exactSum.negate();
  }
}
