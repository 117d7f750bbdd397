package dev.lockstep.kafka;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The Kafka clients of one backend, configured from its properties: {@value #BOOTSTRAP_SERVERS},
 * {@value #TIMEOUT}, and each {@code kafka.<name>} property passed on as client property {@code
 * <name>} to every client the backend makes (producer, consumer, admin; a client ignores the ones
 * it does not know). The settings a backend's guarantees rest on are fixed by the backend: setting
 * one differently is a configuration error. Every message built here has secret values, and
 * every word of one, masked ({@link SecretMask}).
 */
final class KafkaClients {
  static final String BOOTSTRAP_SERVERS = KafkaEventLogFactory.BOOTSTRAP_SERVERS;
  static final String BOOTSTRAP_SERVERS_DEFAULT = KafkaEventLogFactory.BOOTSTRAP_SERVERS_DEFAULT;
  static final String TIMEOUT = KafkaEventLogFactory.TIMEOUT;
  static final Duration TIMEOUT_DEFAULT = KafkaEventLogFactory.TIMEOUT_DEFAULT;
  static final String CLIENT_PREFIX = KafkaEventLogFactory.CLIENT_PREFIX;

  /** Kafka's own default for one request; an operation may retry within {@link #timeout}. */
  private static final long REQUEST_TIMEOUT_MAX_MILLIS = 30_000;
  /** Extra time to wait for a client future past the client's own timeout, which fires first. */
  private static final long FUTURE_GRACE_MILLIS = 5_000;

  private final BackendConfig config;
  private final SecretMask mask;
  private final String bootstrapServers;
  private final Duration timeout;
  private final Map<String, String> passed = new HashMap<>();

  KafkaClients(BackendConfig config) {
    this.config = config;
    this.mask = new SecretMask(config);
    this.bootstrapServers = config.string(BOOTSTRAP_SERVERS, BOOTSTRAP_SERVERS_DEFAULT).strip();
    if (bootstrapServers.isEmpty()) {
      throw configError(BOOTSTRAP_SERVERS, "is empty", "write host:port, e.g. "
          + BOOTSTRAP_SERVERS_DEFAULT);
    }
    this.timeout = config.duration(TIMEOUT, TIMEOUT_DEFAULT);
    if (timeout.toMillis() < 1) {
      throw configError(TIMEOUT, "must be at least 1ms", "the default is 30s");
    }
    config.properties().forEach((key, value) -> {
      if (key.startsWith(CLIENT_PREFIX)) {
        String name = key.substring(CLIENT_PREFIX.length());
        if (name.equals(BOOTSTRAP_SERVERS)) {
          throw configError(key, "is not passed on", "set '" + BOOTSTRAP_SERVERS + "' instead");
        }
        passed.put(name, value);
      }
    });
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  Duration timeout() {
    return timeout;
  }

  /** The configuration of a producer: timeouts, then {@code kafka.*}, then {@code fixed}. */
  Map<String, Object> producer(String clientId, Map<String, Object> fixed) {
    long linger = longPassed("linger.ms", 0);
    Map<String, Object> defaults = new HashMap<>();
    // appends wait for their acknowledgement, so batching by waiting only adds latency
    defaults.put("linger.ms", "0");
    defaults.put("max.block.ms", millis(timeout.toMillis()));
    defaults.put("delivery.timeout.ms", millis(timeout.toMillis()));
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
    defaults.put("request.timeout.ms",
        millis(Math.max(1, Math.min(REQUEST_TIMEOUT_MAX_MILLIS, timeout.toMillis() - linger))));
    return build(clientId, defaults, fixed);
  }

  /**
   * The configuration of a consumer: timeouts, then {@code settings}, then {@code kafka.*}, then
   * {@code fixed}.
   */
  Map<String, Object> consumer(
      String clientId, Map<String, Object> settings, Map<String, Object> fixed) {
    Map<String, Object> defaults = new HashMap<>(settings);
    defaults.put("default.api.timeout.ms", millis(timeout.toMillis()));
    defaults.put("request.timeout.ms",
        millis(Math.min(REQUEST_TIMEOUT_MAX_MILLIS, timeout.toMillis())));
    return build(clientId, defaults, fixed);
  }

  /** The configuration of an admin client: timeouts, then {@code kafka.*}. */
  Map<String, Object> admin(String clientId) {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put("default.api.timeout.ms", millis(timeout.toMillis()));
    defaults.put("request.timeout.ms",
        millis(Math.min(REQUEST_TIMEOUT_MAX_MILLIS, timeout.toMillis())));
    return build(clientId, defaults, Map.of());
  }

  /** Milliseconds as Kafka's int-typed settings take them, capped at about 24 days. */
  private static String millis(long value) {
    return String.valueOf(Math.min(Integer.MAX_VALUE, value));
  }

  private Map<String, Object> build(
      String clientId, Map<String, Object> defaults, Map<String, Object> fixed) {
    Map<String, Object> result = new HashMap<>(defaults);
    result.put("client.id", clientId);
    result.putAll(passed);
    fixed.forEach((name, value) -> {
      String shown = value instanceof Class<?> type ? type.getName() : String.valueOf(value);
      String given = passed.get(name);
      if (given != null && !given.strip().equals(shown)) {
        throw configError(CLIENT_PREFIX + name, "cannot be set", "the " + config.backend()
            + " backend sets " + name + "=" + shown + ", which its guarantees rest on; remove it");
      }
      result.put(name, value);
    });
    result.put(BOOTSTRAP_SERVERS, bootstrapServers);
    return result;
  }

  private long longPassed(String name, long defaultValue) {
    String value = passed.get(name);
    try {
      return value == null ? defaultValue : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw configError(CLIENT_PREFIX + name, "must be a whole number, got '" + value + "'",
          "write milliseconds, e.g. 5");
    }
  }

  /**
   * A client made by {@code constructor}; a configuration Kafka rejects is a {@link
   * BackendConfigException} naming the client and Kafka's reason.
   */
  <T> T create(String client, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (KafkaException e) {
      throw new BackendConfigException(mask.apply("Cannot configure backend '"
          + config.backend() + "': the Kafka " + client + " refused its configuration: "
          + Failures.describe(e) + " (check the kafka.* properties)"));
    }
  }

  /** A {@link BackendException} with {@code message} and the cause's messages masked. */
  BackendException failure(String message, Throwable cause) {
    return new BackendException(mask.apply(message), Failures.redacted(mask, cause));
  }

  /** An {@link OutcomeUnknownException} with {@code message} and the cause's messages masked. */
  OutcomeUnknownException unknownOutcome(String message, Throwable cause) {
    return new OutcomeUnknownException(mask.apply(message), Failures.redacted(mask, cause));
  }

  /** {@code cause} in one line, masked: for messages. */
  String describe(Throwable cause) {
    return mask.apply(Failures.describe(cause));
  }

  /**
   * The value of a client future, waiting at most the client's own timeout plus a grace period;
   * the failure it completed with is thrown as is, unwrapped.
   *
   * @throws TimeoutException if it did not complete in time
   * @throws InterruptException if the thread was interrupted (its flag is set again)
   */
  <T> T await(Future<T> future) {
    try {
      return future.get(timeout.toMillis() + FUTURE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new KafkaException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private BackendConfigException configError(String key, String problem, String hint) {
    return new BackendConfigException("Cannot configure backend '" + config.backend()
        + "': property '" + key + "' " + problem + " (" + hint + ")");
  }
}
