package dev.lockstep.postgres;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.registry.RegistryStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Creates {@link PostgresRegistryStore}s under the name {@value PostgresRegistryStore#NAME}.
 * Properties:
 *
 * <ul>
 *   <li>{@value #URL} (default {@value #URL_DEFAULT}): the JDBC URL of the database.
 *   <li>{@value #USER} (default: the operating-system user name, {@code user.name}, as {@code psql}
 *       does): the role to log in as.
 *   <li>{@value #PASSWORD} (optional, secret): the role's password; none for trust or peer
 *       authentication.
 *   <li>{@value #NAMESPACE} (default {@value #NAMESPACE_DEFAULT}): the registry within the shared
 *       table, so that several projects share one database.
 *   <li>{@value #POOL_SIZE} (default {@value #POOL_SIZE_DEFAULT}): the most connections held open.
 *   <li>{@value #TIMEOUT} (default {@code 10s}): the longest wait to open a connection
 *       and the PostgreSQL {@code statement_timeout}; at least 1s.
 * </ul>
 *
 * <pre>{@code
 * RegistryStore store = Backends.load(RegistryStore.class, "postgres",
 *     Map.of("url", "jdbc:postgresql://db:5432/lockstep", "user", "lockstep", "namespace", "fraud"));
 * }</pre>
 */
public final class PostgresRegistryStoreFactory implements BackendFactory<RegistryStore> {
  /** The JDBC URL. */
  public static final String URL = "url";

  public static final String URL_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/postgres";

  /** The role to log in as; defaults to {@code System.getProperty("user.name")}. */
  public static final String USER = "user";

  /** The role's password; optional and secret. */
  public static final String PASSWORD = "password";

  /** The registry within the shared table. */
  public static final String NAMESPACE = "namespace";

  public static final String NAMESPACE_DEFAULT = "lockstep";

  /** The most connections held open. */
  public static final String POOL_SIZE = "pool-size";

  public static final int POOL_SIZE_DEFAULT = 2;

  /** The connection and statement timeout. */
  public static final String TIMEOUT = "timeout";

  public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(10);

  private static final String URL_PREFIX = "jdbc:postgresql:";
  private static final int NAMESPACE_MAX_LENGTH = 200;

  @Override
  public String name() {
    return PostgresRegistryStore.NAME;
  }

  @Override
  public Class<RegistryStore> role() {
    return RegistryStore.class;
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of(PASSWORD);
  }

  /**
   * Connects, creates the tables if they are missing and checks their format version.
   *
   * @throws BackendConfigException if a property is malformed
   * @throws BackendException if the database cannot be reached or the tables cannot be created
   * @throws dev.lockstep.api.CorruptDataException if the tables are of another format or version
   */
  @Override
  public RegistryStore create(BackendConfig config) {
    return PostgresRegistryStore.open(settings(config));
  }

  /** The settings {@code config} describes, with the defaults for what it leaves out. */
  static PostgresSettings settings(BackendConfig config) {
    String url = config.string(URL, URL_DEFAULT).strip();
    if (!url.startsWith(URL_PREFIX)) {
      throw invalid(
          config,
          URL,
          "must start with '" + URL_PREFIX + "', got '" + config.redact(shown(url)) + "'",
          "e.g. " + URL_DEFAULT);
    }
    String user = config.string(USER, System.getProperty("user.name", "")).strip();
    if (user.isEmpty()) {
      throw invalid(config, USER, "is blank", "name the PostgreSQL role to log in as");
    }
    String namespace = config.string(NAMESPACE, NAMESPACE_DEFAULT);
    if (namespace.isBlank() || namespace.length() > NAMESPACE_MAX_LENGTH) {
      throw invalid(
          config,
          NAMESPACE,
          namespace.isBlank() ? "is blank" : "is longer than " + NAMESPACE_MAX_LENGTH + " characters",
          "name the project, e.g. " + NAMESPACE_DEFAULT);
    }
    int poolSize = config.intValue(POOL_SIZE, POOL_SIZE_DEFAULT);
    if (poolSize < 1) {
      throw invalid(
          config, POOL_SIZE, "must be at least 1, got " + poolSize, "e.g. " + POOL_SIZE_DEFAULT);
    }
    Duration timeout = config.duration(TIMEOUT, TIMEOUT_DEFAULT);
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw invalid(
          config, TIMEOUT, "must be at least 1s, got " + timeout.toMillis() + "ms", "e.g. 10s");
    }
    Optional<String> password = config.string(PASSWORD).filter(value -> !value.isEmpty());
    return new PostgresSettings(url, user, password, namespace, poolSize, timeout);
  }

  /** A URL without its parameters, which may hold a password. */
  private static String shown(String url) {
    int parameters = url.indexOf('?');
    return parameters < 0 ? url : url.substring(0, parameters) + "?...";
  }

  private static BackendConfigException invalid(
      BackendConfig config, String key, String problem, String hint) {
    return new BackendConfigException(
        "Cannot configure backend '"
            + config.backend()
            + "': property '"
            + key
            + "' "
            + problem
            + " ("
            + hint
            + ")");
  }
}
