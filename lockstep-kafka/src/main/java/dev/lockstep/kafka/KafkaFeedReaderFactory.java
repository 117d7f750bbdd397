package dev.lockstep.kafka;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.feed.FeedReader;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Creates {@link KafkaFeedReader}s under the name {@value #NAME}. Properties:
 *
 * <ul>
 *   <li>{@value #TOPIC} (required): the topic to read.
 *   <li>{@value #BOOTSTRAP_SERVERS} (default {@value #BOOTSTRAP_SERVERS_DEFAULT}): the brokers.
 *   <li>{@value #START} (default {@value #START_DEFAULT}): where a partition without a position
 *       starts, {@code earliest} (its oldest record) or {@code latest} (its end).
 *   <li>{@value #DEAD_LETTER_TOPIC} (optional): the topic refused records go to; with it the reader
 *       is a {@link dev.lockstep.spi.feed.SupportsDeadLetters}. It must exist.
 *   <li>{@value #TIMEOUT} (default 30s): how long one operation waits for Kafka.
 *   <li>{@code kafka.<name>}: Kafka client property {@code <name>}, for the consumer and the
 *       dead-letter producer. The deserializers, {@code enable.auto.commit} and {@code
 *       auto.offset.reset} cannot be changed.
 * </ul>
 */
public final class KafkaFeedReaderFactory implements BackendFactory<FeedReader> {
  /** The name the reader is loaded by. */
  public static final String NAME = KafkaFeedReader.NAME;

  /** The topic to read; required. */
  public static final String TOPIC = "topic";

  public static final String BOOTSTRAP_SERVERS = KafkaEventLogFactory.BOOTSTRAP_SERVERS;
  public static final String BOOTSTRAP_SERVERS_DEFAULT =
      KafkaEventLogFactory.BOOTSTRAP_SERVERS_DEFAULT;

  /** Where partitions without a position start: {@code earliest} or {@code latest}. */
  public static final String START = "start";
  public static final String START_DEFAULT = "earliest";

  /** The topic refused records are sent to; optional. */
  public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";

  public static final String TIMEOUT = KafkaEventLogFactory.TIMEOUT;
  public static final Duration TIMEOUT_DEFAULT = KafkaEventLogFactory.TIMEOUT_DEFAULT;

  public static final String CLIENT_PREFIX = KafkaEventLogFactory.CLIENT_PREFIX;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<FeedReader> role() {
    return FeedReader.class;
  }

  @Override
  public Set<String> secretKeys() {
    return KafkaEventLogFactory.SECRET_KEYS;
  }

  /**
   * A reader; it contacts the brokers only when first used.
   *
   * @throws BackendConfigException if {@value #TOPIC} is missing, a property is malformed, or
   *     Kafka refuses the client configuration
   */
  @Override
  public FeedReader create(BackendConfig config) {
    String topic = topic(config, TOPIC, config.required(TOPIC));
    String start = config.string(START, START_DEFAULT).strip().toLowerCase(Locale.ROOT);
    if (!start.equals("earliest") && !start.equals("latest")) {
      throw error(START, "must be earliest or latest, got '" + start + "'",
          "where partitions without a position start; the default is " + START_DEFAULT);
    }
    Optional<String> deadLetters = config.string(DEAD_LETTER_TOPIC)
        .map(name -> topic(config, DEAD_LETTER_TOPIC, name));
    if (deadLetters.isPresent() && deadLetters.get().equals(topic)) {
      throw error(DEAD_LETTER_TOPIC, "is the feed's own topic '" + topic + "'",
          "refused records would be read again; use another topic");
    }
    boolean fromEarliest = start.equals("earliest");
    try {
      KafkaClients clients = new KafkaClients(config);
      if (deadLetters.isPresent()) {
        return new KafkaFeedReaderWithDeadLetters(clients, topic, fromEarliest, deadLetters.get());
      }
      return new KafkaFeedReader(clients, topic, fromEarliest);
    } catch (NoClassDefFoundError e) {
      throw KafkaEventLogFactory.missingClient(e);
    }
  }

  private static String topic(BackendConfig config, String key, String value) {
    String topic = value.strip();
    if (topic.isEmpty() || topic.length() > KafkaEventLogFactory.TOPIC_MAX_LENGTH
        || !KafkaEventLogFactory.TOPIC_CHARACTERS.matcher(topic).matches()) {
      throw error(key, "is not a Kafka topic name: '" + topic + "'",
          "1 to 249 letters, digits, '.', '_' or '-'");
    }
    return topic;
  }

  private static BackendConfigException error(String key, String problem, String hint) {
    return new BackendConfigException("Cannot configure backend '" + NAME + "': property '" + key
        + "' " + problem + " (" + hint + ")");
  }
}
