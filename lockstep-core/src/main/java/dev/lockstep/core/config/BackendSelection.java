package dev.lockstep.core.config;

import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.Backends;
import java.util.Map;
import java.util.Set;

/**
 * One backend chosen in {@code lockstep.yaml}: its name and properties, and which properties are
 * secret because their values came from the environment (they are masked wherever they would be
 * shown, like any property named {@code password}, {@code token}, ...).
 *
 * @param backend the backend's name, e.g. {@code "redis"}
 * @param properties its properties, with environment variables substituted
 * @param secretKeys properties whose values must never be shown
 */
public record BackendSelection(String backend, Map<String, String> properties, Set<String> secretKeys) {

  public BackendSelection {
    properties = Map.copyOf(properties);
    secretKeys = Set.copyOf(secretKeys);
  }

  /** The backend {@code backend} with no properties. */
  public static BackendSelection of(String backend) {
    return new BackendSelection(backend, Map.of(), Set.of());
  }

  /** A copy with {@code key} set to {@code value} unless it is set already. */
  public BackendSelection withDefault(String key, String value) {
    if (properties.containsKey(key)) {
      return this;
    }
    java.util.Map<String, String> copy = new java.util.HashMap<>(properties);
    copy.put(key, value);
    return new BackendSelection(backend, copy, secretKeys);
  }

  /**
   * Creates the backend of {@code role}.
   *
   * @throws dev.lockstep.spi.BackendConfigException if there is no such backend or a property is wrong
   * @throws dev.lockstep.spi.BackendException if it cannot be reached or opened
   */
  public <T extends Backend> T load(Class<T> role) {
    return Backends.load(role, backend, properties, secretKeys);
  }

  /** The backend and its properties, with every secret masked: safe to print. */
  @Override
  public String toString() {
    return BackendConfig.of(backend, properties).withSecretKeys(secretKeys).toString();
  }
}
