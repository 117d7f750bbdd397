package dev.lockstep.kafka;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.eventlog.EventLog;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates {@link KafkaEventLog}s under the name {@value #NAME}. Properties:
 *
 * <ul>
 *   <li>{@value #BOOTSTRAP_SERVERS} (default {@value #BOOTSTRAP_SERVERS_DEFAULT}): the brokers.
 *   <li>{@value #NAMESPACE} (default {@value #NAMESPACE_DEFAULT}): stream {@code s} is topic
 *       {@code <namespace>.s}; letters, digits, '.', '_' and '-'.
 *   <li>{@value #REPLICATION_FACTOR} (default {@value #REPLICATION_FACTOR_DEFAULT}): of the
 *       topics the log creates, whose {@code min.insync.replicas} is a majority of it.
 *   <li>{@value #TIMEOUT} (default 30s): how long one operation waits for Kafka; an append that
 *       takes longer fails with an unknown outcome.
 *   <li>{@code kafka.<name>}: Kafka client property {@code <name>}, for the producer, the
 *       consumers and the admin client, e.g. {@code kafka.security.protocol}. The settings the
 *       log's guarantees rest on ({@code acks}, {@code enable.idempotence}, {@code
 *       isolation.level}, the serializers, ...) cannot be changed.
 * </ul>
 *
 * <p>{@code kafka.sasl.jaas.config}, {@code kafka.ssl.keystore.key} and the SSL passwords are
 * secret: masked in every message.
 */
public final class KafkaEventLogFactory implements BackendFactory<EventLog> {
  /** The name the log is loaded by. */
  public static final String NAME = KafkaEventLog.NAME;

  /** The brokers to connect to first, {@code host:port[,host:port...]}. */
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String BOOTSTRAP_SERVERS_DEFAULT = "127.0.0.1:9092";

  /** The prefix of the log's topics: stream {@code s} is topic {@code <namespace>.s}. */
  public static final String NAMESPACE = "namespace";
  public static final String NAMESPACE_DEFAULT = "lockstep";

  /** The replication factor of the topics the log creates. */
  public static final String REPLICATION_FACTOR = "replication-factor";
  public static final int REPLICATION_FACTOR_DEFAULT = 1;

  /** How long one operation may wait for Kafka. */
  public static final String TIMEOUT = "timeout";
  public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  /** The prefix of the properties passed to the Kafka clients. */
  public static final String CLIENT_PREFIX = "kafka.";

  /** Kafka's legal topic name characters; a topic name has at most 249 of them. */
  static final Pattern TOPIC_CHARACTERS = Pattern.compile("[A-Za-z0-9._-]+");
  static final int TOPIC_MAX_LENGTH = 249;

  /**
   * Client properties holding secrets whose names do not say so ({@code password}, {@code secret},
   * ... already do): the JAAS configuration carries passwords, the PEM key is a private key.
   */
  static final Set<String> SECRET_KEYS = Set.of(
      CLIENT_PREFIX + "sasl.jaas.config",
      CLIENT_PREFIX + "ssl.keystore.key",
      CLIENT_PREFIX + "ssl.key.password",
      CLIENT_PREFIX + "ssl.keystore.password",
      CLIENT_PREFIX + "ssl.truststore.password",
      CLIENT_PREFIX + "sasl.oauthbearer.client.credentials.client.secret");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<EventLog> role() {
    return EventLog.class;
  }

  @Override
  public Set<String> secretKeys() {
    return SECRET_KEYS;
  }

  /**
   * Connects to the brokers.
   *
   * @throws BackendConfigException if a property is malformed or Kafka refuses the client
   *     configuration
   * @throws dev.lockstep.spi.BackendException if no broker answers within the timeout
   */
  @Override
  public EventLog create(BackendConfig config) {
    String namespace = config.string(NAMESPACE, NAMESPACE_DEFAULT).strip();
    if (namespace.isEmpty() || namespace.length() > 200
        || !TOPIC_CHARACTERS.matcher(namespace).matches()) {
      throw new BackendConfigException("Cannot configure backend '" + NAME + "': property '"
          + NAMESPACE + "' must be 1 to 200 letters, digits, '.', '_' or '-', got '" + namespace
          + "' (it prefixes topic names)");
    }
    int replicationFactor = config.intValue(REPLICATION_FACTOR, REPLICATION_FACTOR_DEFAULT);
    if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
      throw new BackendConfigException("Cannot configure backend '" + NAME + "': property '"
          + REPLICATION_FACTOR + "' is " + replicationFactor + " (use at least 1; the default is "
          + REPLICATION_FACTOR_DEFAULT + ")");
    }
    try {
      return KafkaEventLog.open(new KafkaClients(config), namespace, (short) replicationFactor);
    } catch (NoClassDefFoundError e) {
      throw missingClient(e);
    }
  }

  /**
   * The failure when kafka-clients is not on the class path. The factories themselves touch no
   * Kafka class until {@code create}, so that a class path without it fails only here, instead
   * of failing every backend lookup through {@link java.util.ServiceLoader}.
   */
  static BackendException missingClient(NoClassDefFoundError e) {
    return new BackendException("Cannot load the " + NAME + " backend: a class of the Kafka"
        + " client is missing (" + e.getMessage() + "; put org.apache.kafka:kafka-clients on the"
        + " class path)", e);
  }
}
