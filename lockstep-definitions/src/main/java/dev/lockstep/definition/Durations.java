package dev.lockstep.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as definition files write them: a whole number and a unit ({@code 1500ms}, {@code 90s},
 * {@code 5m}, {@code 1h}, {@code 7d}) or ISO-8601 ({@code PT5M}, {@code P30D}).
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
  private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
  private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

  private Durations() {}

  /**
   * The positive duration {@code text} writes.
   *
   * @throws InvalidDefinitionException if it is not such a duration, is not positive, or is not a
   *     whole number of milliseconds
   */
  public static Duration parse(String text) {
    String trimmed = text.strip();
    Duration duration;
    Matcher matcher = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      duration =
          switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else {
      try {
        duration = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new InvalidDefinitionException(
            "Cannot read duration '" + text + "': write a number and a unit (90s, 5m, 1h, 7d) or"
                + " ISO-8601 (PT5M)");
      }
    }
    if (duration.isNegative() || duration.isZero() || duration.getNano() % 1_000_000 != 0) {
      throw new InvalidDefinitionException(
          "Cannot read duration '" + text + "': it must be a positive whole number of milliseconds");
    }
    return duration;
  }

  /** {@code duration} in its largest whole unit: {@code 30d}, {@code 90m}, {@code 1500ms}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      if (millis % UNIT_MILLIS[i] == 0) {
        return (millis / UNIT_MILLIS[i]) + UNIT_NAMES[i];
      }
    }
    throw new AssertionError(millis);
  }
}
