package dev.lockstep.spi;

import java.util.Set;

/**
 * Creates backends of one role under one name. Implementations are found with {@link
 * java.util.ServiceLoader}: list the implementing class in {@code
 * META-INF/services/dev.lockstep.spi.BackendFactory}; it needs a public no-argument constructor.
 * Load backends with {@link Backends#load}, not by calling factories directly.
 *
 * <p>Factories are stateless and thread-safe; {@link #create} may be called many times.
 *
 * @param <T> the role: {@code EventLog}, {@code OnlineStore}, {@code OfflineStore}, {@code
 *     RegistryStore}, {@code VectorIndex} or {@code ModelStore}
 */
public interface BackendFactory<T extends Backend> {

  /** The name users select the backend by, lower case, e.g. {@code "rocksdb"}; unique per role. */
  String name();

  /** The role interface this factory's backends implement, e.g. {@code OnlineStore.class}. */
  Class<T> role();

  /**
   * Keys whose values must never be shown, beyond those whose names already mark them secret (see
   * {@link BackendConfig}), e.g. {@code "sasl.jaas.config"}.
   */
  default Set<String> secretKeys() {
    return Set.of();
  }

  /**
   * A new backend, ready to use, configured from {@code config}. The caller owns it and closes it.
   *
   * @throws BackendConfigException if a property is missing or malformed
   * @throws BackendException if the backend's storage cannot be reached or opened
   */
  T create(BackendConfig config);
}
