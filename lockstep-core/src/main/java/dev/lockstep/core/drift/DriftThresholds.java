package dev.lockstep.core.drift;

/**
 * When drift metrics raise a state (see {@link Drift}): a metric at or above its {@code warn}
 * threshold is {@link DriftState#WARN}, at or above its {@code alert} threshold {@link
 * DriftState#ALERT}; a feature with fewer than {@code minimumCount} served rows is {@link
 * DriftState#NOT_ENOUGH_DATA}.
 *
 * @param psiWarn PSI warning threshold, default {@value #PSI_WARN_DEFAULT}
 * @param psiAlert PSI alert threshold, default {@value #PSI_ALERT_DEFAULT}
 * @param ksWarn Kolmogorov–Smirnov warning threshold, default {@value #KS_WARN_DEFAULT}
 * @param ksAlert Kolmogorov–Smirnov alert threshold, default {@value #KS_ALERT_DEFAULT}
 * @param minimumCount served rows needed to judge a feature, default {@value #MINIMUM_COUNT_DEFAULT}
 */
public record DriftThresholds(double psiWarn, double psiAlert, double ksWarn, double ksAlert, long minimumCount) {
  public static final double PSI_WARN_DEFAULT = 0.1;
  public static final double PSI_ALERT_DEFAULT = 0.25;
  public static final double KS_WARN_DEFAULT = 0.1;
  public static final double KS_ALERT_DEFAULT = 0.2;
  public static final long MINIMUM_COUNT_DEFAULT = 100;

  /**
   * @throws IllegalArgumentException unless {@code 0 <= warn <= alert} for both metrics and {@code
   *     minimumCount >= 0}
   */
  public DriftThresholds {
    check("psi", psiWarn, psiAlert);
    check("ks", ksWarn, ksAlert);
    if (minimumCount < 0) {
      throw new IllegalArgumentException("Cannot use drift thresholds: minimum count " + minimumCount + " is negative");
    }
  }

  /** PSI 0.1 / 0.25, KS 0.1 / 0.2, at least 100 served rows. */
  public static DriftThresholds defaults() {
    return new DriftThresholds(
        PSI_WARN_DEFAULT, PSI_ALERT_DEFAULT, KS_WARN_DEFAULT, KS_ALERT_DEFAULT, MINIMUM_COUNT_DEFAULT);
  }

  /** The state of a PSI value; {@link DriftState#OK} for null. */
  public DriftState psiState(Double psi) {
    return state(psi, psiWarn, psiAlert);
  }

  /** The state of a KS statistic; {@link DriftState#OK} for null. */
  public DriftState ksState(Double ks) {
    return state(ks, ksWarn, ksAlert);
  }

  private static DriftState state(Double value, double warn, double alert) {
    if (value == null) {
      return DriftState.OK;
    }
    return value >= alert ? DriftState.ALERT : value >= warn ? DriftState.WARN : DriftState.OK;
  }

  private static void check(String metric, double warn, double alert) {
    if (!(warn >= 0 && warn <= alert)) {
      throw new IllegalArgumentException(
          "Cannot use drift thresholds: " + metric + " warn " + warn + " and alert " + alert
              + " (need 0 <= warn <= alert)");
    }
  }
}
