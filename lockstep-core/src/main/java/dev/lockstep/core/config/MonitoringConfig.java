package dev.lockstep.core.config;

import dev.lockstep.core.drift.DriftThresholds;
import dev.lockstep.core.drift.ServedProfiles;
import dev.lockstep.spi.BackendConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code monitoring} settings of {@code lockstep.yaml}: how long the rolling window of served
 * values is that drift is measured on, the drift thresholds, and how often a server checks the
 * parity of logged vectors. Every key is optional:
 *
 * <pre>{@code
 * monitoring:
 *   drift_window: 1h       # served values profiled over the last hour (12 buckets)
 *   psi_warn: 0.1          # PSI at or above: WARN
 *   psi_alert: 0.25        # PSI at or above: ALERT
 *   ks_warn: 0.1
 *   ks_alert: 0.2
 *   min_count: 100         # fewer served values than this: NOT_ENOUGH_DATA
 *   parity_interval: 60s   # lockstep serve --log-features: how often logged vectors are checked
 * }</pre>
 */
public record MonitoringConfig(Duration driftWindow, DriftThresholds thresholds, Duration parityInterval) {
  static final List<String> KEYS =
      List.of("drift_window", "psi_warn", "psi_alert", "ks_warn", "ks_alert", "min_count", "parity_interval");

  /** Every setting at its default. */
  public static MonitoringConfig defaults() {
    return new MonitoringConfig(ServedProfiles.WINDOW_DEFAULT, DriftThresholds.defaults(), Duration.ofSeconds(60));
  }

  /** The settings of {@code value}, the map under {@code monitoring} in {@code file}. */
  static MonitoringConfig parse(String file, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw error(file, "'monitoring' must be a map", "e.g. monitoring: {drift_window: 1h, psi_alert: 0.25}");
    }
    for (Object key : map.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw error(file, "'monitoring." + key + "' is not a setting", "use " + String.join(", ", KEYS));
      }
    }
    DriftThresholds defaults = DriftThresholds.defaults();
    try {
      return new MonitoringConfig(
          duration(file, map, "drift_window", ServedProfiles.WINDOW_DEFAULT),
          new DriftThresholds(
              number(file, map, "psi_warn", defaults.psiWarn()),
              number(file, map, "psi_alert", defaults.psiAlert()),
              number(file, map, "ks_warn", defaults.ksWarn()),
              number(file, map, "ks_alert", defaults.ksAlert()),
              (long) number(file, map, "min_count", defaults.minimumCount())),
          duration(file, map, "parity_interval", Duration.ofSeconds(60)));
    } catch (IllegalArgumentException e) {
      throw error(file, "the monitoring settings do not fit together: " + e.getMessage(), "fix the thresholds");
    }
  }

  private static double number(String file, Map<?, ?> map, String key, double fallback) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    throw error(file, "'monitoring." + key + "' must be a number, got '" + value + "'", "e.g. " + key + ": " + fallback);
  }

  private static Duration duration(String file, Map<?, ?> map, String key, Duration fallback) {
    return ConfigValues.duration(file, "monitoring", map, key, fallback, "1h");
  }

  private static BackendConfigException error(String file, String problem, String hint) {
    return ConfigValues.error(file, problem, hint);
  }
}
