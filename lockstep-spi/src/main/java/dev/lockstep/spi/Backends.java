package dev.lockstep.spi;

import dev.lockstep.api.LockstepException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads backends by name through {@link ServiceLoader}, in the manner of Iceberg's {@code
 * CatalogUtil.loadCatalog}. Factories are looked up with the thread's context class loader on each
 * call, so this class holds no state and is thread-safe.
 */
public final class Backends {
  private Backends() {}

  /**
   * Creates the backend of {@code role} named {@code name} (case-insensitive) from {@code
   * properties}.
   *
   * <pre>{@code
   * OnlineStore store = Backends.load(OnlineStore.class, "rocksdb", Map.of("path", "/data/online"));
   * }</pre>
   *
   * @throws BackendConfigException if no factory of that role has that name ({@code "Cannot load
   *     online store 'foo': no backend of that name (available: redis, rocksdb)"}), if two have it,
   *     or if the factory rejects the properties
   * @throws BackendException if a factory cannot be instantiated, fails unexpectedly, or creates
   *     something that is not a {@code role}; secret property values are masked in its message
   */
  public static <T extends Backend> T load(
      Class<T> role, String name, Map<String, String> properties) {
    return load(role, name, properties, Set.of());
  }

  /**
   * As {@link #load(Class, String, Map)}, also treating the values of {@code secretKeys} as secret
   * (for example every property whose value came from an environment variable).
   */
  public static <T extends Backend> T load(
      Class<T> role, String name, Map<String, String> properties, Set<String> secretKeys) {
    List<BackendFactory<?>> matches = new ArrayList<>();
    for (BackendFactory<?> factory : factories(role, name)) {
      if (factory.name().equalsIgnoreCase(name)) {
        matches.add(factory);
      }
    }
    String what = roleName(role) + " '" + name + "'";
    if (matches.isEmpty()) {
      throw new BackendConfigException(
          "Cannot load "
              + what
              + ": no backend of that name (available: "
              + availableNames(role)
              + ")");
    }
    if (matches.size() > 1) {
      List<String> classes = matches.stream().map(f -> f.getClass().getName()).sorted().toList();
      throw new BackendConfigException(
          "Cannot load " + what + ": several backends have that name (" + classes + ")");
    }
    BackendFactory<?> factory = matches.get(0);
    BackendConfig config =
        BackendConfig.of(factory.name(), properties)
            .withSecretKeys(factory.secretKeys())
            .withSecretKeys(secretKeys);
    Object backend;
    try {
      backend = factory.create(config);
    } catch (LockstepException e) {
      throw e;
    } catch (RuntimeException e) {
      String oneLine = String.valueOf(e).replaceAll("\\R", " ");
      throw new BackendException(
          config.redact("Cannot load " + what + ": " + oneLine), redactedCause(config, e));
    }
    if (!role.isInstance(backend)) {
      String created = backend == null ? "null" : "a " + backend.getClass().getName();
      throw new BackendException(
          "Cannot load "
              + what
              + ": "
              + factory.getClass().getName()
              + " created "
              + created
              + ", which does not implement "
              + role.getName()
              + " (fix the backend's factory)");
    }
    return role.cast(backend);
  }

  /**
   * The names of every backend of {@code role} on the class path, sorted.
   *
   * @throws BackendException if a listed factory cannot be instantiated
   */
  public static List<String> available(Class<? extends Backend> role) {
    TreeSet<String> names = new TreeSet<>();
    for (BackendFactory<?> factory : factories(role, null)) {
      names.add(factory.name().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(names);
  }

  private static String availableNames(Class<? extends Backend> role) {
    List<String> names = available(role);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** "online store" for {@code OnlineStore}: the role's simple name split into lower-case words. */
  static String roleName(Class<?> role) {
    return role.getSimpleName().replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
  }

  private static List<BackendFactory<?>> factories(Class<?> role, String name) {
    List<BackendFactory<?>> result = new ArrayList<>();
    try {
      for (BackendFactory<?> factory : ServiceLoader.load(BackendFactory.class)) {
        if (factory.role().equals(role)) {
          result.add(factory);
        }
      }
    } catch (ServiceConfigurationError e) {
      String what = name == null ? roleName(role) + "s" : roleName(role) + " '" + name + "'";
      throw new BackendException(
          "Cannot load " + what + ": a backend factory failed to load (" + e.getMessage() + ")", e);
    }
    return result;
  }

  /**
   * The cause is kept for its stack trace, but its message may hold a secret, so it is replaced by
   * a redacted copy when that is the case.
   */
  private static Throwable redactedCause(BackendConfig config, RuntimeException cause) {
    String message = String.valueOf(cause.getMessage());
    if (config.redact(message).equals(message)) {
      return cause;
    }
    RuntimeException copy =
        new RuntimeException(cause.getClass().getName() + ": " + config.redact(message));
    copy.setStackTrace(cause.getStackTrace());
    return copy;
  }
}
