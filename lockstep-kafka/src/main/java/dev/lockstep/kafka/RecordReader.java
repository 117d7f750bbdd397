package dev.lockstep.kafka;

import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The reading half of {@link KafkaEventLog}: pooled {@code read_committed} consumers ({@link
 * ConsumerPool}), each assigned one partition per read and moved to its offset. A read asks the
 * partition's end first: from at or past it, it returns nothing at once; otherwise it polls until
 * it has {@code maxRecords} or has reached that end.
 */
final class RecordReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final String MAX_POLL_RECORDS = "5000";
  private static final byte[] EMPTY = new byte[0];

  private final KafkaClients clients;
  private final ConsumerPool consumers;

  RecordReader(KafkaClients clients, String clientId) {
    this.clients = clients;
    // A read polls only while records are known to be there, so a fetch never needs to wait for
    // more; but a consumer sends one more fetch after each poll, and with Kafka's default wait
    // (500 ms) for it, the next read of the consumer would wait that long to send its own.
    Map<String, Object> config = clients.consumer(clientId,
        Map.of("max.poll.records", MAX_POLL_RECORDS, "fetch.max.wait.ms", "0"),
        Map.of("key.deserializer", ByteArrayDeserializer.class,
            "value.deserializer", ByteArrayDeserializer.class,
            "isolation.level", "read_committed",
            "enable.auto.commit", "false",
            "auto.offset.reset", "none",
            "allow.auto.create.topics", "false"));
    this.consumers = new ConsumerPool(
        () -> clients.create("consumer", () -> new KafkaConsumer<>(config)));
    consumers.apply(consumer -> null); // a consumer now, so a bad configuration shows now
  }

  /**
   * As {@link KafkaEventLog#read}.
   *
   * @throws org.apache.kafka.common.KafkaException as the consumer fails
   */
  List<LogEntry> read(String stream, TopicPartition partition, Position from, int maxRecords) {
    return consumers.apply(consumer -> read(consumer, stream, partition, from, maxRecords));
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
    Header timestamp = record.headers().lastHeader(KafkaEventLog.TIMESTAMP_HEADER);
    long timestampMillis = timestamp != null && timestamp.value() != null
        && timestamp.value().length == Long.BYTES
        ? ByteBuffer.wrap(timestamp.value()).getLong() : record.timestamp();
    return new LogEntry(new Position(record.partition(), record.offset()), new LogRecord(
        record.key() == null ? EMPTY : record.key(), record.value() == null ? EMPTY
        : record.value(), timestampMillis));
  }

  /** Closes the idle consumers now and the lent ones when they come back. */
  @Override
  public void close() {
    consumers.close();
  }
}
