package dev.lockstep.ops.drift;

import dev.lockstep.core.drift.DriftState;
import dev.lockstep.core.drift.DriftThresholds;
import dev.lockstep.core.drift.FeatureProfile;
import dev.lockstep.core.drift.ServiceProfile;
import dev.lockstep.core.drift.ValueProfiler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Drift of served feature values from a model's training values, per feature: the population
 * stability index (PSI) and, for numeric features, the Kolmogorov–Smirnov statistic (KS), computed
 * from two {@link FeatureProfile}s.
 *
 * <p><b>Shares.</b> A profile's observations are its nulls, NaNs and values ({@link
 * FeatureProfile#observations}); each bin's share is its observations over all of them, so nulls
 * and NaNs are bins of their own.
 *
 * <p><b>PSI</b> = Σ over bins of {@code (a − e) · ln(a / e)}, where {@code e} is the training
 * share of the bin and {@code a} the served share, and a share of exactly 0 counts as {@value
 * #EPSILON} (so a bin empty on both sides adds 0).
 *
 * <ul>
 *   <li>Numeric bins: the edges are the training sketch's deciles (its quantiles at ranks .1, .2, ...,
 *       .9, inclusive search), duplicate edges collapsed; with edges {@code e1 < ... < em} the value
 *       bins are {@code (−∞, e1], (e1, e2], ..., (em, +∞)}, each side's share of a bin read from its
 *       own sketch's CDF at the edges (inclusive ranks). Then the null bin and the NaN bin.
 *   <li>Categorical bins: each category stored in the training profile, then "other" (every other
 *       value), then the null bin. A served value counts in a training category's bin only if the
 *       served profile stored that category (see {@link ValueProfiler} for which are stored),
 *       otherwise in "other".
 * </ul>
 *
 * <p><b>KS</b> = sup over x of {@code |F_train(x) − F_served(x)|}, where F is the fraction of the
 * values (nulls and NaNs excluded) at most x, as the profiles' sketches answer it; evaluated at
 * every item either sketch retained, where both step functions jump, so it is the exact supremum
 * for the sketches, and the exact KS of the data when both sketches hold all their values (at most
 * {@link ValueProfiler#K} each). Otherwise each CDF is within the sketch's normalized rank error
 * (about 1.65% at 99% confidence for k = 200), so KS is within the sum of the two.
 */
public final class Drift {
  /** The share that replaces a share of exactly 0 in PSI. */
  public static final double EPSILON = 1e-4;

  private static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  private Drift() {}

  /**
   * Compares every feature of {@code training} with the same column of {@code served}; a feature
   * the served profile lacks counts as never served. A feature is {@link
   * DriftState#NOT_ENOUGH_DATA} when it has fewer served rows than {@code thresholds.minimumCount()}
   * or no training rows; otherwise the worse of its PSI's and KS's states.
   *
   * @throws IllegalArgumentException if a feature is numeric on one side and categorical on the other
   */
  public static DriftReport compare(ServiceProfile training, ServiceProfile served, DriftThresholds thresholds) {
    List<FeatureDrift> features = new ArrayList<>(training.features().size());
    for (FeatureProfile expected : training.features()) {
      Optional<FeatureProfile> actual = served.feature(expected.name());
      long servedCount = actual.map(FeatureProfile::count).orElse(0L);
      Double psi = actual.map(profile -> psi(expected, profile)).orElse(null);
      Double ks = actual.map(profile -> ks(expected, profile)).orElse(null);
      DriftState state = servedCount < thresholds.minimumCount() || expected.count() == 0
          ? DriftState.NOT_ENOUGH_DATA
          : thresholds.psiState(psi).worse(thresholds.ksState(ks));
      features.add(new FeatureDrift(expected.name(), expected.type(), psi, ks, expected.count(), servedCount, state));
    }
    return new DriftReport(training.service(), features);
  }

  /**
   * The PSI of {@code served} against {@code training}; null if either has no observations.
   *
   * @throws IllegalArgumentException if one is numeric and the other categorical
   */
  public static Double psi(FeatureProfile training, FeatureProfile served) {
    checkKinds(training, served);
    if (training.observations() == 0 || served.observations() == 0) {
      return null;
    }
    double[] expected;
    double[] actual;
    if (training.numeric()) {
      double[] edges = edges(training);
      expected = numericShares(training, edges);
      actual = numericShares(served, edges);
    } else {
      expected = categoricalShares(training, training);
      actual = categoricalShares(served, training);
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i] == 0 ? EPSILON : expected[i];
      double a = actual[i] == 0 ? EPSILON : actual[i];
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /**
   * The KS statistic of {@code served} against {@code training}; null if they are categorical or
   * either has no values.
   *
   * @throws IllegalArgumentException if one is numeric and the other categorical
   */
  public static Double ks(FeatureProfile training, FeatureProfile served) {
    checkKinds(training, served);
    if (!training.numeric() || training.values() == 0 || served.values() == 0) {
      return null;
    }
    KllDoublesSketch expected = training.kllSketch();
    KllDoublesSketch actual = served.kllSketch();
    double[] points = union(expected.getSortedView().getQuantiles(), actual.getSortedView().getQuantiles());
    double[] expectedCdf = expected.getCDF(points, QuantileSearchCriteria.INCLUSIVE);
    double[] actualCdf = actual.getCDF(points, QuantileSearchCriteria.INCLUSIVE);
    double ks = 0;
    for (int i = 0; i < points.length; i++) {
      ks = Math.max(ks, Math.abs(expectedCdf[i] - actualCdf[i]));
    }
    return ks;
  }

  /** The training deciles, duplicates collapsed; none if there are no values. */
  static double[] edges(FeatureProfile training) {
    if (training.values() == 0) {
      return new double[0];
    }
    return distinct(training.kllSketch().getQuantiles(DECILES, QuantileSearchCriteria.INCLUSIVE));
  }

  /** Shares of the value bins split at {@code edges}, then of nulls, then of NaNs. */
  private static double[] numericShares(FeatureProfile profile, double[] edges) {
    double total = profile.observations();
    double[] shares = new double[edges.length + 3];
    if (profile.values() > 0) {
      double valueShare = profile.values() / total;
      double[] cdf = edges.length == 0
          ? new double[] {1}
          : profile.kllSketch().getCDF(edges, QuantileSearchCriteria.INCLUSIVE);
      double below = 0;
      for (int i = 0; i <= edges.length; i++) {
        shares[i] = (cdf[i] - below) * valueShare;
        below = cdf[i];
      }
    }
    shares[edges.length + 1] = profile.nulls() / total;
    shares[edges.length + 2] = profile.nans() / total;
    return shares;
  }

  /** Shares of each of {@code training}'s categories, then of other values, then of nulls. */
  private static double[] categoricalShares(FeatureProfile profile, FeatureProfile training) {
    double total = profile.observations();
    Map<String, Long> counts = profile.categories() == null ? Map.of() : profile.categories();
    double[] shares = new double[training.categories().size() + 2];
    int i = 0;
    long binned = 0;
    for (String category : training.categories().keySet()) {
      long count = counts.getOrDefault(category, 0L);
      shares[i++] = count / total;
      binned += count;
    }
    shares[i++] = (profile.values() - binned) / total;
    shares[i] = profile.nulls() / total;
    return shares;
  }

  private static double[] union(double[] a, double[] b) {
    double[] all = new double[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    Arrays.sort(all);
    return distinct(all);
  }

  /** The distinct values of sorted {@code values}, -0.0 as 0.0 (split points must increase strictly). */
  private static double[] distinct(double[] values) {
    double[] distinct = new double[values.length];
    int n = 0;
    for (double value : values) {
      if (n == 0 || value != distinct[n - 1]) {
        distinct[n++] = value + 0.0;
      }
    }
    return Arrays.copyOf(distinct, n);
  }

  private static void checkKinds(FeatureProfile training, FeatureProfile served) {
    // a profile without values was never told its kind: it fits either
    if (served.values() > 0 && training.numeric() != served.numeric()) {
      throw new IllegalArgumentException(
          "Cannot compare feature '" + training.name() + "': its training values are " + training.type()
              + " and its served values " + served.type());
    }
  }
}
