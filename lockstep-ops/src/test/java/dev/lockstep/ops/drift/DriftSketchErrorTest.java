package dev.lockstep.ops.drift;

import dev.lockstep.core.drift.FeatureProfile;
import dev.lockstep.core.drift.ValueProfiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.ValueType;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllSketch;
import org.junit.jupiter.api.Test;

/**
 * KS from the profiles' sketches against an exact KS over the sorted values, on data large enough
 * that the sketches compact: within the sum of the two sketches' normalized rank errors for a whole
 * CDF (DataSketches documents them at 99% confidence; the seeds are fixed).
 */
class DriftSketchErrorTest {
  @Test
  void sketchedKsIsWithinTheSketchesRankErrorOfTheExactKs() {
    double bound = 2 * KllSketch.getNormalizedRankError(ValueProfiler.K, true);
    SplittableRandom random = new SplittableRandom(42);
    double[] shifts = {0, 0.02, 0.1, 0.3, 1.0};
    for (double shift : shifts) {
      double[] training = new double[100_000];
      double[] served = new double[20_000 + random.nextInt(30_000)];
      for (int i = 0; i < training.length; i++) {
        training[i] = Math.rint(gaussian(random) * 100) / 100; // ties, as real features have
      }
      for (int i = 0; i < served.length; i++) {
        served[i] = Math.rint((gaussian(random) * (1 + shift) + shift) * 100) / 100;
      }
      double exact = exactKs(training, served);
      double sketched = Drift.ks(profile(training), profile(served));
      assertThat(profile(training).kllSketch().isEstimationMode()).isTrue();
      assertThat(Math.abs(sketched - exact)).as("shift %s: exact %s, sketched %s", shift, exact, sketched)
          .isLessThanOrEqualTo(bound);
    }
  }

  @Test
  void sketchedKsIsExactWhileBothSketchesHoldAllTheirValues() {
    SplittableRandom random = new SplittableRandom(5);
    for (int round = 0; round < 200; round++) {
      double[] training = new double[1 + random.nextInt(ValueProfiler.K)];
      double[] served = new double[1 + random.nextInt(ValueProfiler.K)];
      Arrays.setAll(training, i -> random.nextInt(30));
      Arrays.setAll(served, i -> random.nextInt(30) + random.nextInt(3));
      assertThat(Drift.ks(profile(training), profile(served))).isCloseTo(exactKs(training, served),
          org.assertj.core.api.Assertions.within(1e-12));
    }
  }

  /** sup |F_a - F_b| over every value of either sample, F(x) the fraction at most x: the naive oracle. */
  static double exactKs(double[] a, double[] b) {
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int i = 0;
    int j = 0;
    double ks = 0;
    while (i < x.length || j < y.length) {
      double next = j == y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
      while (i < x.length && x[i] == next) {
        i++;
      }
      while (j < y.length && y[j] == next) {
        j++;
      }
      ks = Math.max(ks, Math.abs((double) i / x.length - (double) j / y.length));
    }
    return ks;
  }

  private static FeatureProfile profile(double[] values) {
    ValueProfiler profiler = ValueProfiler.declared("x", ValueType.DOUBLE, false);
    for (double value : values) {
      profiler.add(value);
    }
    return profiler.finish();
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller from the seeded generator
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
