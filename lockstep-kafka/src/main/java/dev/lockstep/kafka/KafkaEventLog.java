package dev.lockstep.kafka;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.eventlog.SupportsTruncation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The event log on Kafka. Stream {@code s} is topic {@code <namespace>.s}, its partitions the
 * topic's, its offsets Kafka's (contiguous, since this log writes without transactions).
 *
 * <p><b>Appends</b> ({@link RecordWriter}). One idempotent producer with {@code acks=all} sends
 * each record to partition {@code toPositive(murmur2(key)) mod partitions} (Kafka's own default
 * for a keyed record, see {@link KeyPartitioner}) with the record's timestamp as Kafka's
 * timestamp, and the append returns once every record is acknowledged: written by every in-sync
 * replica, at least a majority of them.
 * A timestamp Kafka cannot hold (a negative one) travels in header {@value #TIMESTAMP_HEADER}
 * instead, as 8 big-endian bytes; Kafka's timestamp is then the producer's clock.
 *
 * <p><b>Reads</b> ({@link RecordReader}). A pooled consumer is assigned the partition and moved
 * to the offset. With {@code isolation.level=read_committed} it sees records up to the last stable
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

  private final KafkaClients clients;
  private final String namespace;
  private final Admin admin;
  private final StreamTopics topics;
  private final RecordWriter writer;
  private final RecordReader reader;
  private final Object lifecycle = new Object();
  private volatile boolean closed;

  private KafkaEventLog(KafkaClients clients, String namespace, Admin admin, StreamTopics topics,
      RecordWriter writer, RecordReader reader) {
    this.clients = clients;
    this.namespace = namespace;
    this.admin = admin;
    this.topics = topics;
    this.writer = writer;
    this.reader = reader;
  }

  /**
   * Connects to the cluster: fails unless a broker answers within the timeout.
   *
   * @throws dev.lockstep.spi.BackendConfigException if Kafka refuses a client's configuration
   * @throws BackendException if no broker answered
   */
  static KafkaEventLog open(KafkaClients clients, String namespace, short replicationFactor) {
    String clientId = "lockstep-log-" + namespace;
    Admin admin = clients.create("admin client", () -> Admin.create(clients.admin(clientId)));
    RecordWriter writer = null;
    RecordReader reader = null;
    try {
      StreamTopics topics = new StreamTopics(clients, admin, namespace, replicationFactor);
      writer = new RecordWriter(clients, topics, clientId + "-writer");
      reader = new RecordReader(clients, clientId + "-reader");
      KafkaEventLog log = new KafkaEventLog(clients, namespace, admin, topics, writer, reader);
      log.checkReachable();
      return log;
    } catch (RuntimeException e) {
      closeQuietly(admin, writer, reader);
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
    return writer.append(stream, partitions, records);
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
    try {
      return reader.read(stream, partition, from, maxRecords);
    } catch (KafkaException e) {
      throw failure(stream, "read", e);
    }
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
    for (AutoCloseable resource : List.<AutoCloseable>of(writer, reader,
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

  private static void closeQuietly(Admin admin, RecordWriter writer, RecordReader reader) {
    try {
      if (reader != null) {
        reader.close();
      }
      if (writer != null) {
        writer.close(Duration.ZERO);
      }
      admin.close(Duration.ZERO);
    } catch (RuntimeException e) {
      // Already failing with the original error.
    }
  }
}
