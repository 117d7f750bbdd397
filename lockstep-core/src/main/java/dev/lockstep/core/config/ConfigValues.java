package dev.lockstep.core.config;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.definition.Durations;
import dev.lockstep.spi.BackendConfigException;
import java.time.Duration;
import java.util.Map;

/** Reading the typed values of one section of {@code lockstep.yaml}, with one-line errors. */
final class ConfigValues {
  private ConfigValues() {}

  /**
   * The duration under {@code key} of {@code section}'s {@code map}, or {@code fallback}.
   *
   * @param example a duration to show in the hint, e.g. {@code 30s}
   */
  static Duration duration(String file, String section, Map<?, ?> map, String key, Duration fallback, String example) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Durations.parse(String.valueOf(value));
    } catch (InvalidDefinitionException e) {
      throw error(file, "'" + section + "." + key + "' must be a duration, got '" + value + "'",
          "e.g. " + key + ": " + example);
    }
  }

  static BackendConfigException error(String file, String problem, String hint) {
    return new BackendConfigException("Cannot read " + file + ": " + problem + " (" + hint + ")");
  }
}
