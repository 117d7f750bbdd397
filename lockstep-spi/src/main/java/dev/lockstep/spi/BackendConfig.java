package dev.lockstep.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The properties a backend is configured with, with typed accessors whose errors are one line
 * naming the backend and the key. Immutable and thread-safe.
 *
 * <p>Backends declare each key they read as a constant with its default beside it, next to the code
 * that reads it (as Iceberg's {@code TableProperties} does):
 *
 * <pre>{@code
 * public static final String WRITE_BUFFER_SIZE = "write-buffer-size";
 * public static final int WRITE_BUFFER_SIZE_DEFAULT = 64 << 20;
 * ...
 * int size = config.intValue(WRITE_BUFFER_SIZE, WRITE_BUFFER_SIZE_DEFAULT);
 * }</pre>
 *
 * <p><b>Secrets.</b> A key is secret if its lower-cased name contains {@code password}, {@code
 * secret}, {@code token} or {@code credential}, or if it was declared with {@link #withSecretKeys}.
 * Secret values are shown as {@value #MASK} in {@link #toString()} and in every error message this
 * class builds; {@link #redact} does the same for other text.
 */
public final class BackendConfig {
  /** What a secret value is replaced with wherever it would be shown. */
  public static final String MASK = "****";

  private static final Set<String> SECRET_MARKERS =
      Set.of("password", "secret", "token", "credential");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final String backend;
  private final Map<String, String> properties;
  private final Set<String> declaredSecrets;

  private BackendConfig(String backend, Map<String, String> properties, Set<String> secrets) {
    this.backend = backend;
    this.properties = properties;
    this.declaredSecrets = secrets;
  }

  /**
   * The configuration of backend {@code backend} (its name, used in messages) from {@code
   * properties}, which are copied.
   *
   * @throws BackendConfigException if a key or value is null
   */
  public static BackendConfig of(String backend, Map<String, String> properties) {
    TreeMap<String, String> copy = new TreeMap<>();
    properties.forEach(
        (key, value) -> {
          if (key == null || value == null) {
            throw new BackendConfigException(
                "Cannot configure backend '" + backend + "': property '" + key + "' has no value");
          }
          copy.put(key, value);
        });
    return new BackendConfig(backend, Collections.unmodifiableMap(copy), Set.of());
  }

  /** A copy that also treats {@code keys} as secret, whatever their names. */
  public BackendConfig withSecretKeys(Collection<String> keys) {
    Set<String> secrets = new HashSet<>(declaredSecrets);
    secrets.addAll(keys);
    return new BackendConfig(backend, properties, Set.copyOf(secrets));
  }

  /** The name of the backend being configured. */
  public String backend() {
    return backend;
  }

  /** Every property, unmasked and sorted by key: hand it to a client library, never to a log. */
  public Map<String, String> properties() {
    return properties;
  }

  /** Whether the value of {@code key} must never be shown. */
  public boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return declaredSecrets.contains(key) || SECRET_MARKERS.stream().anyMatch(lower::contains);
  }

  /** The value of {@code key}, if set. */
  public Optional<String> string(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  /** The value of {@code key}, or {@code defaultValue} if it is not set. */
  public String string(String key, String defaultValue) {
    return properties.getOrDefault(key, defaultValue);
  }

  /**
   * The value of {@code key}.
   *
   * @throws BackendConfigException if it is not set or blank
   */
  public String required(String key) {
    String value = properties.get(key);
    if (value == null || value.isBlank()) {
      throw error(key, "is required but not set", "set it in the " + backend + " properties");
    }
    return value;
  }

  /**
   * The value of {@code key} as a decimal {@code int}, or {@code defaultValue} if not set.
   *
   * @throws BackendConfigException if it is set but not an {@code int}
   */
  public int intValue(String key, int defaultValue) {
    String value = properties.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw malformed(key, value, "an integer", "write a whole number, e.g. 8");
    }
  }

  /**
   * The value of {@code key} as a decimal {@code long}, or {@code defaultValue} if not set.
   *
   * @throws BackendConfigException if it is set but not a {@code long}
   */
  public long longValue(String key, long defaultValue) {
    String value = properties.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw malformed(key, value, "an integer", "write a whole number, e.g. 8");
    }
  }

  /**
   * The value of {@code key} as {@code true} or {@code false} (any case), or {@code defaultValue}.
   *
   * @throws BackendConfigException if it is set to anything else
   */
  public boolean booleanValue(String key, boolean defaultValue) {
    String value = properties.get(key);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw malformed(key, value, "a boolean", "write true or false");
    };
  }

  /**
   * The value of {@code key} as a non-negative duration written as a whole number and a unit
   * ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}), e.g. {@code 100ms} or {@code 5s}; or
   * {@code defaultValue} if not set.
   *
   * @throws BackendConfigException if it is set but not such a duration, or too long to represent
   */
  public Duration duration(String key, Duration defaultValue) {
    String value = properties.get(key);
    if (value == null) {
      return defaultValue;
    }
    Matcher matcher = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw malformed(
          key, value, "a duration", "write a number and a unit: 100ms, 5s, 2m, 1h or 1d");
    }
    try {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw malformed(key, value, "a duration", "this one is too long to represent");
    }
  }

  /** {@code text} with the value of every secret property replaced by {@value #MASK}. */
  public String redact(String text) {
    String result = text;
    for (Map.Entry<String, String> property : properties.entrySet()) {
      if (isSecret(property.getKey()) && !property.getValue().isEmpty()) {
        result = result.replace(property.getValue(), MASK);
      }
    }
    return result;
  }

  /** The backend and its properties, sorted by key, with secret values masked. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("BackendConfig{backend=").append(backend);
    text.append(", properties={");
    String separator = "";
    for (String key : properties.keySet()) {
      text.append(separator).append(key).append('=').append(shown(key));
      separator = ", ";
    }
    return text.append("}}").toString();
  }

  private String shown(String key) {
    return isSecret(key) ? MASK : properties.get(key);
  }

  private BackendConfigException malformed(String key, String value, String what, String hint) {
    String shownValue = isSecret(key) ? MASK : value.replaceAll("\\R", " ");
    return error(key, "must be " + what + ", got '" + shownValue + "'", hint);
  }

  private BackendConfigException error(String key, String problem, String hint) {
    return new BackendConfigException(
        "Cannot configure backend '"
            + backend
            + "': property '"
            + key
            + "' "
            + problem
            + " ("
            + hint
            + ")");
  }
}
