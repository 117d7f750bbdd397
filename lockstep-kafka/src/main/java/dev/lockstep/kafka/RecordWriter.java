package dev.lockstep.kafka;

import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.nio.ByteBuffer;
import java.time.Duration;
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
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The appending half of {@link KafkaEventLog}: one idempotent producer with {@code acks=all}
 * (thread-safe, shared by every append), each record sent to its key's partition and waited for.
 */
final class RecordWriter implements AutoCloseable {
  /** Bytes a record may take beyond key and value: batch header, lengths, a header. */
  private static final int RECORD_OVERHEAD_BYTES = 128;
  private static final String MAX_REQUEST_SIZE = "max.request.size";
  private static final int MAX_REQUEST_SIZE_DEFAULT = 1 << 20;

  private final KafkaClients clients;
  private final StreamTopics topics;
  private final Producer<byte[], byte[]> producer;
  private final int maxRecordBytes;

  RecordWriter(KafkaClients clients, StreamTopics topics, String clientId) {
    this.clients = clients;
    this.topics = topics;
    Map<String, Object> config = clients.producer(clientId, Map.of(
        "acks", "all",
        "enable.idempotence", "true",
        "key.serializer", ByteArraySerializer.class,
        "value.serializer", ByteArraySerializer.class));
    this.maxRecordBytes = Integer.parseInt(String.valueOf(
        config.getOrDefault(MAX_REQUEST_SIZE, MAX_REQUEST_SIZE_DEFAULT)).strip())
        - RECORD_OVERHEAD_BYTES;
    this.producer = clients.create("producer", () -> new KafkaProducer<>(config));
  }

  /** As {@link KafkaEventLog#append}, to a stream of {@code partitions} partitions. */
  List<Position> append(String stream, int partitions, List<LogRecord> records) {
    for (int i = 0; i < records.size(); i++) {
      LogRecord record = Objects.requireNonNull(records.get(i), "records[" + i + "]");
      long bytes = (long) record.key().length + record.value().length;
      if (bytes > maxRecordBytes) {
        throw new IllegalArgumentException("Cannot append to stream '" + stream + "': record " + i
            + " has " + bytes + " bytes of key and value, more than the " + maxRecordBytes
            + " a Kafka request may carry (split it, or raise kafka.max.request.size and the"
            + " topic's max.message.bytes)");
      }
    }
    if (records.isEmpty()) {
      return List.of();
    }
    String topic = topics.topic(stream);
    List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
    RuntimeException refused = null;
    for (LogRecord record : records) {
      try {
        sent.add(producer.send(producerRecord(topic, partitions, record)));
      } catch (RuntimeException e) {
        refused = e; // thrown before this record was handed to the producer: the rest are not sent
        break;
      }
    }
    return positions(stream, records.size(), sent, refused);
  }

  private static ProducerRecord<byte[], byte[]> producerRecord(
      String topic, int partitions, LogRecord record) {
    int partition = KeyPartitioner.partition(record.key(), partitions);
    if (record.timestampMillis() >= 0) {
      return new ProducerRecord<>(topic, partition, record.timestampMillis(), record.key(),
          record.value());
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(KafkaEventLog.TIMESTAMP_HEADER, ByteBuffer.allocate(Long.BYTES)
        .putLong(record.timestampMillis()).array());
    return new ProducerRecord<>(topic, partition, null, record.key(), record.value(), headers);
  }

  /** Waits for every sent record; the positions, or the failure as the SPI distinguishes them. */
  private List<Position> positions(String stream, int size, List<Future<RecordMetadata>> sent,
      RuntimeException refused) {
    Position[] positions = new Position[size];
    int acknowledged = 0;
    RuntimeException failure = refused;
    boolean mayBeWritten = false;
    for (int i = 0; i < sent.size(); i++) {
      try {
        RecordMetadata metadata = clients.await(sent.get(i));
        positions[i] = new Position(metadata.partition(), metadata.offset());
        acknowledged++;
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
        mayBeWritten |= !provesNothingWritten(e);
      }
    }
    if (failure == null) {
      return List.of(positions);
    }
    if (failure instanceof UnknownTopicOrPartitionException) {
      topics.forget(stream);
    }
    String what = "Cannot append " + size + " records to stream '" + stream + "' (topic '"
        + topics.topic(stream) + "'): ";
    if (acknowledged == 0 && !mayBeWritten) {
      throw clients.failure(what + clients.describe(failure) + " (nothing was appended"
          + (failure instanceof KafkaException kafka ? StreamTopics.hint(kafka) : "") + ")",
          failure);
    }
    throw clients.unknownOutcome(what + acknowledged + " acknowledged, then "
        + clients.describe(failure) + " (others may have been appended too: read the end"
        + " positions before retrying)", failure);
  }

  /** Whether Kafka's answer proves the record was not written. */
  private static boolean provesNothingWritten(Throwable e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidTimestampException || e instanceof SerializationException
        || e instanceof AuthorizationException || e instanceof AuthenticationException
        || e instanceof InvalidTopicException || e instanceof UnknownTopicOrPartitionException
        || e instanceof IllegalStateException;
  }

  /** Closes the producer, waiting up to {@code timeout} for records in flight. */
  void close(Duration timeout) {
    producer.close(timeout);
  }

  @Override
  public void close() {
    close(clients.timeout());
  }
}
