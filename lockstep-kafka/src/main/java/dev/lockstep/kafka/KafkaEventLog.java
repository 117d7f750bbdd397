package dev.lockstep.kafka;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.eventlog.SupportsTruncation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The event log on Kafka. Stream {@code s} is topic {@code <namespace>.s}, its partitions the
 * topic's, its offsets Kafka's (contiguous, since this log writes without transactions).
 *
 * <p><b>Appends.</b> One idempotent producer with {@code acks=all} sends each record to partition
 * {@code toPositive(murmur2(key)) mod partitions} (Kafka's own default for a keyed record, see
 * {@link KeyPartitioner}) with the record's timestamp as Kafka's timestamp, and the append returns
 * once every record is acknowledged: written by every in-sync replica, at least a majority of them.
 * A timestamp Kafka cannot hold (a negative one) travels in header {@value #TIMESTAMP_HEADER}
 * instead, as 8 big-endian bytes; Kafka's timestamp is then the producer's clock.
 *
 * <p><b>Reads.</b> A pooled consumer ({@link ConsumerPool}) is assigned the partition and moved to
 * the offset. With {@code isolation.level=read_committed} it sees records up to the last stable
 * offset, which is never past the high watermark: only records every in-sync replica has, which
 * stay. A read first asks for that end: from at or past it, it returns nothing at once; otherwise
 * it polls until it has {@code maxRecords} or reached the end it was told.
 *
 * <p>Truncation is Kafka's {@code deleteRecords}. Thread-safe.
 */
public final class KafkaEventLog implements SupportsTruncation {
  /** The name this backend is loaded by. */
  public static final String NAME = "kafka";

  /** The header holding a timestamp Kafka's own field cannot: 8 bytes, big-endian. */
  static final String TIMESTAMP_HEADER = "lockstep.timestamp";

  private static final Duration POLL = Duration.ofMillis(100);
  private static final String MAX_POLL_RECORDS = "5000";
  /** Bytes a record may take beyond key and value: batch header, lengths, a header. */
  private static final int RECORD_OVERHEAD_BYTES = 128;
  private static final String MAX_REQUEST_SIZE = "max.request.size";
  private static final int MAX_REQUEST_SIZE_DEFAULT = 1 << 20;
  private static final byte[] EMPTY = new byte[0];

  private final KafkaClients clients;
  private final String namespace;
  private final Admin admin;
  private final StreamTopics topics;
  private final Producer<byte[], byte[]> producer;
  private final ConsumerPool consumers;
  private final int maxRecordBytes;
  private final Object lifecycle = new Object();
  private volatile boolean closed;

  private KafkaEventLog(KafkaClients clients, String namespace, Admin admin, StreamTopics topics,
      Producer<byte[], byte[]> producer, ConsumerPool consumers, int maxRecordBytes) {
    this.clients = clients;
    this.namespace = namespace;
    this.admin = admin;
    this.topics = topics;
    this.producer = producer;
    this.consumers = consumers;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Connects to the cluster: fails unless a broker answers within the timeout.
   *
   * @throws dev.lockstep.spi.BackendConfigException if Kafka refuses a client's configuration
   * @throws BackendException if no broker answered
   */
  static KafkaEventLog open(KafkaClients clients, String namespace, short replicationFactor) {
    String clientId = "lockstep-log-" + namespace;
    Map<String, Object> producerConfig = clients.producer(clientId + "-writer", Map.of(
        "acks", "all",
        "enable.idempotence", "true",
        "key.serializer", ByteArraySerializer.class,
        "value.serializer", ByteArraySerializer.class));
    // A read polls only while records are known to be there, so a fetch never needs to wait for
    // more; but a consumer sends one more fetch after each poll, and with Kafka's default wait
    // (500 ms) for it, the next read of the consumer would wait that long to send its own.
    Map<String, Object> consumerConfig = clients.consumer(clientId + "-reader",
        Map.of("max.poll.records", MAX_POLL_RECORDS, "fetch.max.wait.ms", "0"),
        Map.of("key.deserializer", ByteArrayDeserializer.class,
            "value.deserializer", ByteArrayDeserializer.class,
            "isolation.level", "read_committed",
            "enable.auto.commit", "false",
            "auto.offset.reset", "none",
            "allow.auto.create.topics", "false"));
    int maxRequestBytes = Integer.parseInt(String.valueOf(
        producerConfig.getOrDefault(MAX_REQUEST_SIZE, MAX_REQUEST_SIZE_DEFAULT)).strip());
    Admin admin = clients.create("admin client", () -> Admin.create(clients.admin(clientId)));
    Producer<byte[], byte[]> producer = null;
    ConsumerPool consumers = null;
    try {
      producer = clients.create("producer", () -> new KafkaProducer<>(producerConfig));
      consumers = new ConsumerPool(
          () -> clients.create("consumer", () -> new KafkaConsumer<>(consumerConfig)));
      consumers.apply(consumer -> null); // a consumer now, so a bad configuration shows now
      KafkaEventLog log = new KafkaEventLog(clients, namespace, admin,
          new StreamTopics(clients, admin, namespace, replicationFactor), producer, consumers,
          maxRequestBytes - RECORD_OVERHEAD_BYTES);
      log.checkReachable();
      return log;
    } catch (RuntimeException e) {
      closeQuietly(admin, producer, consumers);
      throw e;
    }
  }

  private void checkReachable() {
    try {
      clients.await(admin.describeCluster().clusterId());
    } catch (KafkaException e) {
      throw clients.failure("Cannot open " + this + ": " + clients.describe(e) + " (check "
          + KafkaClients.BOOTSTRAP_SERVERS + " and that the brokers are up; for a local broker,"
          + " run bin/kafka-broker start)", e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String displayName() {
    return "Kafka";
  }

  @Override
  public void createStream(String stream, int partitions) {
    checkOpen();
    topics.create(Objects.requireNonNull(stream, "stream"), partitions);
  }

  @Override
  public List<String> streams() {
    checkOpen();
    return topics.list();
  }

  @Override
  public int partitions(String stream) {
    checkOpen();
    return topics.partitions(Objects.requireNonNull(stream, "stream"), "find the partitions of");
  }

  /**
   * {@inheritDoc}
   *
   * <p>A record whose key and value take more than {@code max.request.size} (1 MiB unless {@code
   * kafka.max.request.size} says otherwise) less 128 bytes is refused before anything is sent,
   * with an {@link IllegalArgumentException}. An append fails with a {@link BackendException} only
   * when Kafka refused every record for a reason that proves it was not written; any other
   * failure, including a timeout, is an {@link OutcomeUnknownException}.
   */
  @Override
  public List<Position> append(String stream, List<LogRecord> records) {
    checkOpen();
    Objects.requireNonNull(records, "records");
    int partitions = topics.partitions(Objects.requireNonNull(stream, "stream"), "append to");
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
    headers.add(TIMESTAMP_HEADER, ByteBuffer.allocate(Long.BYTES)
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

  @Override
  public List<LogEntry> read(String stream, Position from, int maxRecords) {
    checkOpen();
    Objects.requireNonNull(from, "from");
    TopicPartition partition = partition(stream, from, "read");
    if (maxRecords < 1) {
      throw new IllegalArgumentException("Cannot read stream '" + stream + "': maxRecords is "
          + maxRecords + " (ask for at least 1)");
    }
    return withConsumer(stream, "read", consumer -> read(consumer, stream, partition, from,
        maxRecords));
  }

  private List<LogEntry> read(Consumer<byte[], byte[]> consumer, String stream,
      TopicPartition partition, Position from, int maxRecords) {
    consumer.assign(List.of(partition));
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    if (from.offset() >= end) {
      return List.of();
    }
    consumer.seek(partition, from.offset());
    List<LogEntry> entries = new ArrayList<>((int) Math.min(maxRecords, 1024));
    long deadline = System.nanoTime() + clients.timeout().toNanos();
    try {
      while (entries.size() < maxRecords && consumer.position(partition) < end) {
        if (System.nanoTime() > deadline) {
          if (entries.isEmpty()) {
            throw clients.failure("Cannot read stream '" + stream + "' at " + from + ": records"
                + " up to offset " + end + " exist but none arrived within "
                + clients.timeout().toMillis() + " ms (check the brokers; retrying is safe)", null);
          }
          break;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition)) {
          if (entries.size() == maxRecords) {
            break;
          }
          entries.add(entry(record));
        }
      }
    } catch (OffsetOutOfRangeException e) {
      long start = consumer.beginningOffsets(List.of(partition)).get(partition);
      if (from.offset() < start) {
        throw new NotFoundException("Cannot read stream '" + stream + "' at " + from + ": the"
            + " records before " + new Position(from.partition(), start) + " were truncated"
            + " (read from the start positions)");
      }
      throw e;
    }
    return entries;
  }

  private static LogEntry entry(ConsumerRecord<byte[], byte[]> record) {
    Header timestamp = record.headers().lastHeader(TIMESTAMP_HEADER);
    long timestampMillis = timestamp != null && timestamp.value() != null
        && timestamp.value().length == Long.BYTES
        ? ByteBuffer.wrap(timestamp.value()).getLong() : record.timestamp();
    return new LogEntry(new Position(record.partition(), record.offset()), new LogRecord(
        record.key() == null ? EMPTY : record.key(), record.value() == null ? EMPTY
        : record.value(), timestampMillis));
  }

  @Override
  public List<Position> startPositions(String stream) {
    checkOpen();
    return positions(stream, "find the start positions of", true);
  }

  @Override
  public List<Position> endPositions(String stream) {
    checkOpen();
    return positions(stream, "find the end positions of", false);
  }

  private List<Position> positions(String stream, String operation, boolean start) {
    int partitions = topics.partitions(Objects.requireNonNull(stream, "stream"), operation);
    List<Long> offsets;
    try {
      offsets = topics.offsets(stream, partitions, start ? OffsetSpec.earliest()
          : OffsetSpec.latest());
    } catch (KafkaException e) {
      throw failure(stream, operation, e);
    }
    List<Position> positions = new ArrayList<>(partitions);
    for (int partition = 0; partition < partitions; partition++) {
      positions.add(new Position(partition, offsets.get(partition)));
    }
    return List.copyOf(positions);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Kafka's {@code deleteRecords}: the partition's log start offset moves to {@code
   * before.offset()} at once, on every replica, and segments wholly below it are deleted later.
   */
  @Override
  public void truncate(String stream, Position before) {
    checkOpen();
    Objects.requireNonNull(before, "before");
    TopicPartition partition = partition(stream, before, "truncate");
    long end = endPositions(stream).get(before.partition()).offset();
    if (before.offset() > end) {
      throw new IllegalArgumentException("Cannot truncate stream '" + stream + "' before "
          + before + ": the partition ends at " + new Position(before.partition(), end)
          + " (truncate at or before its end)");
    }
    try {
      clients.await(admin.deleteRecords(
          Map.of(partition, RecordsToDelete.beforeOffset(before.offset()))).all());
    } catch (KafkaException e) {
      throw clients.failure("Cannot truncate stream '" + stream + "' before " + before + ": "
          + clients.describe(e) + StreamTopics.hint(e), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Deletes the topic and returns once the brokers no longer list it.
   */
  @Override
  public void deleteStream(String stream) {
    checkOpen();
    topics.delete(Objects.requireNonNull(stream, "stream"));
  }

  /** The topic partition of {@code position}, or why the stream has none such. */
  private TopicPartition partition(String stream, Position position, String operation) {
    int partitions = topics.partitions(Objects.requireNonNull(stream, "stream"), operation);
    if (position.partition() >= partitions) {
      throw new NotFoundException("Cannot " + operation + " stream '" + stream + "' at "
          + position + ": it has no partition " + position.partition() + " (it has "
          + partitions + ", from 0)");
    }
    return new TopicPartition(topics.topic(stream), position.partition());
  }

  private <T> T withConsumer(String stream, String operation,
      Function<Consumer<byte[], byte[]>, T> work) {
    try {
      return consumers.apply(work);
    } catch (KafkaException e) {
      throw failure(stream, operation, e);
    }
  }

  private BackendException failure(String stream, String operation, KafkaException e) {
    if (e instanceof UnknownTopicOrPartitionException) {
      topics.forget(stream);
    }
    return clients.failure("Cannot " + operation + " stream '" + stream + "': "
        + clients.describe(e) + StreamTopics.hint(e), e);
  }

  /**
   * Closes the producer (waiting up to the timeout for records in flight), the consumers and the
   * admin client. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    RuntimeException first = null;
    for (AutoCloseable resource : List.<AutoCloseable>of(
        () -> producer.close(clients.timeout()), consumers,
        () -> admin.close(clients.timeout()))) {
      try {
        resource.close();
      } catch (Exception e) {
        first = first == null ? new KafkaException(e) : first;
      }
    }
    if (first != null) {
      throw clients.failure("Cannot close " + this + " cleanly: " + clients.describe(first)
          + " (acknowledged records are durable)", first);
    }
  }

  @Override
  public String toString() {
    return "the kafka event log on " + clients.bootstrapServers() + " (namespace " + namespace
        + ")";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot use " + this + ": it is closed (open it again)");
    }
  }

  private static void closeQuietly(Admin admin, Producer<byte[], byte[]> producer,
      ConsumerPool consumers) {
    try {
      if (consumers != null) {
        consumers.close();
      }
      if (producer != null) {
        producer.close(Duration.ZERO);
      }
      admin.close(Duration.ZERO);
    } catch (RuntimeException e) {
      // Already failing with the original error.
    }
  }
}
