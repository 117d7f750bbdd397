package dev.lockstep.redis;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.online.OnlineStore;
import io.lettuce.core.RedisURI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates {@link RedisOnlineStore}s under the name {@value #NAME}. Every property has a default, so
 * {@code online: redis} alone uses the Redis on this machine's standard port. Properties:
 *
 * <ul>
 *   <li>{@value #URI} (default {@value #URI_DEFAULT}): where Redis is, as Lettuce reads it: {@code
 *       redis://[[user]:password@]host[:port][/database]}, {@code rediss://} for TLS, {@code
 *       redis-sentinel://host:port[,host:port]#primary-name}, or {@code redis-socket:///path}.
 *   <li>{@value #PASSWORD} (no default; secret): the password, which replaces one in the uri.
 *   <li>{@value #DATABASE} (default {@value #DATABASE_DEFAULT}, or the database the uri names): the
 *       Redis database number.
 *   <li>{@value #NAMESPACE} (default {@value #NAMESPACE_DEFAULT}): the first part of every key, so
 *       several projects, or tests, share one Redis without seeing each other's data; {@value
 *       KeyLayout#NAMESPACE_CHARACTERS} only.
 *   <li>{@value #TIMEOUT} (default {@code 2s}): how long a call waits for Redis (longer for large
 *       writes: once more per 16 MiB sent), and the connect timeout.
 * </ul>
 *
 * <p>The uri may hold a password, so it is masked as a whole wherever the configuration is shown;
 * the store's messages and {@code toString} show the server without credentials.
 *
 * <pre>{@code
 * OnlineStore store = Backends.load(OnlineStore.class, "redis", Map.of("namespace", "payments"));
 * }</pre>
 */
public final class RedisOnlineStoreFactory implements BackendFactory<OnlineStore> {
  /** The name the store is loaded by. */
  public static final String NAME = "redis";

  /** Where Redis is. */
  public static final String URI = "uri";

  public static final String URI_DEFAULT = "redis://127.0.0.1:6379";

  /** The password; optional, secret. */
  public static final String PASSWORD = "password";

  /** The Redis database number. */
  public static final String DATABASE = "database";

  public static final int DATABASE_DEFAULT = 0;

  /** The prefix of every key the store writes. */
  public static final String NAMESPACE = "namespace";

  public static final String NAMESPACE_DEFAULT = "lockstep";

  /** How long a call waits for Redis. */
  public static final String TIMEOUT = "timeout";

  public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(2);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<OnlineStore> role() {
    return OnlineStore.class;
  }

  /** The password, and the uri because it may carry one. */
  @Override
  public Set<String> secretKeys() {
    return Set.of(URI, PASSWORD);
  }

  /**
   * Connects to Redis and opens the namespace.
   *
   * @throws BackendConfigException if a property is malformed
   * @throws dev.lockstep.spi.BackendException if Redis cannot be reached or refuses the login
   * @throws dev.lockstep.api.CorruptDataException if the namespace holds another format or format
   *     version
   */
  @Override
  public OnlineStore create(BackendConfig config) {
    String text = config.string(URI, URI_DEFAULT).strip();
    String namespace = config.string(NAMESPACE, NAMESPACE_DEFAULT);
    if (!KeyLayout.isValidNamespace(namespace)) {
      throw invalid(
          config,
          NAMESPACE,
          "must be " + KeyLayout.NAMESPACE_CHARACTERS + ", got '" + printable(namespace) + "'",
          "e.g. " + NAMESPACE_DEFAULT + " or payments-test");
    }
    Duration timeout = config.duration(TIMEOUT, TIMEOUT_DEFAULT);
    if (timeout.isZero()) {
      throw invalid(config, TIMEOUT, "must be positive, got 0", "e.g. 2s or 500ms");
    }
    UserInfo user = UserInfo.of(text);
    RedisURI uri;
    try {
      uri = RedisURI.create(text);
    } catch (RuntimeException e) {
      // The client's reason ("Port out of range: 99999") helps, unless it repeats the uri, which
      // may hold a password.
      String reason = String.valueOf(e.getMessage());
      boolean safe = !reason.contains("@") && !reason.contains(text) && !reason.contains("://");
      throw invalid(
          config,
          URI,
          "is not a Redis URI" + (safe ? ": " + user.redact(reason) : ""),
          "write redis://host:port, rediss://host:port for TLS,"
              + " or redis-sentinel://host:port#primary-name");
    }
    Optional<String> password = config.string(PASSWORD);
    if (password.isPresent()) {
      char[] characters = password.get().toCharArray();
      if (user.name() == null) {
        uri.setAuthentication(characters);
      } else {
        uri.setAuthentication(user.name(), characters);
      }
    }
    if (config.string(DATABASE).isPresent()) {
      int database = config.intValue(DATABASE, DATABASE_DEFAULT);
      if (database < 0) {
        throw invalid(config, DATABASE, "must be 0 or more, got " + database, "e.g. 0");
      }
      uri.setDatabase(database);
    }
    List<String> secrets = new ArrayList<>(user.secrets());
    password.ifPresent(secrets::add);
    return RedisOnlineStore.open(uri, location(uri), namespace, timeout, secrets);
  }

  /** The server without credentials, e.g. {@code redis://127.0.0.1:6379/0}. */
  static String location(RedisURI uri) {
    String server;
    if (uri.getSocket() != null) {
      server = "redis-socket://" + uri.getSocket();
    } else if (!uri.getSentinels().isEmpty()) {
      server =
          "redis-sentinel://"
              + uri.getSentinels().stream()
                  .map(sentinel -> hostPort(sentinel.getHost(), sentinel.getPort()))
                  .collect(Collectors.joining(","));
    } else {
      server = (uri.isSsl() ? "rediss://" : "redis://") + hostPort(uri.getHost(), uri.getPort());
    }
    String primary = uri.getSentinelMasterId() == null ? "" : "#" + uri.getSentinelMasterId();
    return server + "/" + uri.getDatabase() + primary;
  }

  private static String hostPort(String host, int port) {
    return (host != null && host.contains(":") ? "[" + host + "]" : host) + ":" + port;
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

  private static String printable(String text) {
    return text.replaceAll("\\p{Cntrl}", "?");
  }

  /**
   * The user information of a uri, {@code [user]:password@} or {@code password@}, read as Lettuce
   * reads it: the user name, and every spelling of the secrets (as written and URL-decoded).
   */
  private record UserInfo(String name, List<String> secrets) {
    static UserInfo of(String uri) {
      int start = uri.indexOf("://");
      int at = uri.lastIndexOf('@');
      if (start < 0 || at < start + 3) {
        return new UserInfo(null, List.of());
      }
      String info = uri.substring(start + 3, at);
      int colon = info.indexOf(':');
      String name = colon > 0 ? decoded(info.substring(0, colon)) : null;
      String password = colon < 0 ? info : info.substring(colon + 1);
      List<String> secrets = new ArrayList<>();
      for (String secret : List.of(info, password)) {
        secrets.add(secret);
        secrets.add(decoded(secret));
      }
      return new UserInfo(name, secrets);
    }

    String redact(String text) {
      String result = text;
      for (String secret : secrets) {
        if (!secret.isEmpty()) {
          result = result.replace(secret, Failures.MASK);
        }
      }
      return result;
    }

    private static String decoded(String text) {
      try {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return text;
      }
    }
  }
}
