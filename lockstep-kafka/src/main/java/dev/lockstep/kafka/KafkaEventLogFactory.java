package dev.lockstep.kafka;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.eventlog.EventLog;
import java.time.Duration;
import java.util.Set;

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
  public static final String BOOTSTRAP_SERVERS = KafkaClients.BOOTSTRAP_SERVERS;
  public static final String BOOTSTRAP_SERVERS_DEFAULT = KafkaClients.BOOTSTRAP_SERVERS_DEFAULT;

  /** The prefix of the log's topics: stream {@code s} is topic {@code <namespace>.s}. */
  public static final String NAMESPACE = "namespace";
  public static final String NAMESPACE_DEFAULT = "lockstep";

  /** The replication factor of the topics the log creates. */
  public static final String REPLICATION_FACTOR = "replication-factor";
  public static final int REPLICATION_FACTOR_DEFAULT = 1;

  /** How long one operation may wait for Kafka. */
  public static final String TIMEOUT = KafkaClients.TIMEOUT;
  public static final Duration TIMEOUT_DEFAULT = KafkaClients.TIMEOUT_DEFAULT;

  /** The prefix of the properties passed to the Kafka clients. */
  public static final String CLIENT_PREFIX = KafkaClients.CLIENT_PREFIX;

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
    return KafkaClients.SECRET_KEYS;
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
        || !StreamTopics.TOPIC_CHARACTERS.matcher(namespace).matches()) {
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
    return KafkaEventLog.open(new KafkaClients(config), namespace, (short) replicationFactor);
  }
}
