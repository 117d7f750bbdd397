package dev.lockstep.kafka;

import dev.lockstep.spi.feed.FeedRecord;
import dev.lockstep.spi.feed.SupportsDeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link KafkaFeedReader} whose refused records go to a dead-letter topic: each as its original
 * key and value, with UTF-8 text headers {@value #REASON}, {@value #SOURCE_TOPIC}, {@value
 * #SOURCE_PARTITION} and {@value #SOURCE_OFFSET} (decimal numbers), sent with {@code acks=all} by
 * an idempotent producer. Its Kafka timestamp is when it was dead-lettered.
 */
final class KafkaFeedReaderWithDeadLetters extends KafkaFeedReader implements SupportsDeadLetters {
  static final String REASON = "lockstep.reason";
  static final String SOURCE_TOPIC = "lockstep.source.topic";
  static final String SOURCE_PARTITION = "lockstep.source.partition";
  static final String SOURCE_OFFSET = "lockstep.source.offset";

  private final String deadLetterTopic;
  private final Producer<byte[], byte[]> producer;
  private boolean topicFound;

  KafkaFeedReaderWithDeadLetters(
      KafkaClients clients, String topic, boolean fromEarliest, String deadLetterTopic) {
    super(clients, topic, fromEarliest);
    this.deadLetterTopic = deadLetterTopic;
    Map<String, Object> config = clients.producer("lockstep-dead-letters-" + topic, Map.of(
        "acks", "all",
        "enable.idempotence", "true",
        "key.serializer", ByteArraySerializer.class,
        "value.serializer", ByteArraySerializer.class));
    try {
      this.producer = clients.create("producer", () -> new KafkaProducer<>(config));
    } catch (RuntimeException e) {
      super.close();
      throw e;
    }
  }

  /** The topic refused records go to. */
  String deadLetterTopic() {
    return deadLetterTopic;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A retry after a failure may send letters that went out before it a second time.
   *
   * @throws dev.lockstep.spi.BackendException if the dead-letter topic does not exist, or a
   *     letter was not acknowledged within the timeout
   */
  @Override
  public void deadLetter(List<DeadLetter> letters) {
    checkOpen();
    Objects.requireNonNull(letters, "letters");
    if (letters.isEmpty()) {
      return;
    }
    if (!topicFound) {
      // a producer would wait the whole timeout for a topic that does not exist
      partitionsOf(deadLetterTopic, "send dead letters to",
          KafkaFeedReaderFactory.DEAD_LETTER_TOPIC);
      topicFound = true;
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
    try {
      for (DeadLetter letter : letters) {
        sent.add(producer.send(record(Objects.requireNonNull(letter, "letter"))));
      }
      for (Future<RecordMetadata> future : sent) {
        clients.await(future);
      }
    } catch (KafkaException | IllegalStateException e) {
      throw clients.failure("Cannot send " + letters.size() + " dead letters to kafka topic '"
          + deadLetterTopic + "': " + clients.describe(e) + (e instanceof KafkaException kafka
          ? StreamTopics.hint(kafka) : "") + " (retry; letters may then arrive twice)", e);
    }
  }

  private ProducerRecord<byte[], byte[]> record(DeadLetter letter) {
    FeedRecord record = letter.record();
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, utf8(String.valueOf(letter.reason())));
    headers.add(SOURCE_TOPIC, utf8(topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(record.offset())));
    return new ProducerRecord<>(deadLetterTopic, null, null, record.key(), record.value(), headers);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Closes the consumer and the producer, waiting up to the timeout for letters in flight. */
  @Override
  public void close() {
    try {
      super.close();
    } finally {
      producer.close(clients.timeout());
    }
  }

  @Override
  public String toString() {
    return super.toString() + ", dead letters to '" + deadLetterTopic + "'";
  }
}
