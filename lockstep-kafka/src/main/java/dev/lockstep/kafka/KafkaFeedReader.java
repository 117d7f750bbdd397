package dev.lockstep.kafka;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.feed.FeedReader;
import dev.lockstep.spi.feed.FeedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A Kafka topic as a feed: one consumer assigned every partition, with no consumer group and no
 * committed offsets (Lockstep keeps the positions). Keys and values are read as raw bytes, so no
 * record can make a poll fail. Transactional producers' records are read once committed ({@code
 * isolation.level=read_committed}, which {@code kafka.isolation.level} may change).
 *
 * <p>A partition whose position is no longer in the topic (its records were deleted by retention
 * before Lockstep read them, or the topic was recreated) continues at its oldest record, with a
 * warning naming what was skipped.
 *
 * <p>When the feed has a {@code dead-letter-topic} its reader is a {@link
 * dev.lockstep.spi.feed.SupportsDeadLetters}; without one it is not, and {@link
 * dev.lockstep.spi.Capabilities#require} says so. Not thread-safe, as the SPI allows.
 */
public sealed class KafkaFeedReader implements FeedReader permits KafkaFeedReaderWithDeadLetters {
  /** The name this backend is loaded by. */
  public static final String NAME = "kafka";

  private static final System.Logger LOGGER = System.getLogger(KafkaFeedReader.class.getName());

  final KafkaClients clients;
  private final String topic;
  private final boolean fromEarliest;
  private final Consumer<byte[], byte[]> consumer;
  private List<TopicPartition> assigned;
  private boolean closed;

  KafkaFeedReader(KafkaClients clients, String topic, boolean fromEarliest) {
    this.clients = clients;
    this.topic = topic;
    this.fromEarliest = fromEarliest;
    Map<String, Object> config = clients.consumer("lockstep-feed-" + topic,
        Map.of("isolation.level", "read_committed"),
        Map.of("key.deserializer", ByteArrayDeserializer.class,
            "value.deserializer", ByteArrayDeserializer.class,
            "enable.auto.commit", "false",
            "auto.offset.reset", "none",
            "allow.auto.create.topics", "false"));
    this.consumer = clients.create("consumer", () -> new KafkaConsumer<>(config));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String displayName() {
    return "Kafka";
  }

  /** The topic read. */
  public String topic() {
    return topic;
  }

  /**
   * {@inheritDoc}
   *
   * @throws BackendException if the topic does not exist or the brokers cannot be reached
   */
  @Override
  public List<Integer> partitions() {
    checkOpen();
    return partitionsOf(topic, "read", KafkaFeedReaderFactory.TOPIC);
  }

  /** The partitions of topic {@code name}, set by {@code property}, sorted, or why there are none. */
  List<Integer> partitionsOf(String name, String operation, String property) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(name);
    } catch (KafkaException e) {
      throw clients.failure("Cannot " + operation + " kafka topic '" + name + "' on "
          + clients.bootstrapServers() + ": " + clients.describe(e) + StreamTopics.hint(e), e);
    }
    if (infos == null || infos.isEmpty()) {
      throw clients.failure("Cannot " + operation + " kafka topic '" + name + "': no such topic on "
          + clients.bootstrapServers() + " (create it, or correct the feed's " + property + ")",
          null);
    }
    return List.copyOf(new TreeSet<>(infos.stream().map(PartitionInfo::partition).toList()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Partitions without an offset in {@code next} start at the oldest record when the feed's
   * {@code start} is {@code earliest}, or at the end as it is during this call when it is {@code
   * latest}.
   *
   * @throws IllegalArgumentException if {@code next} names a partition the topic lacks or holds a
   *     negative offset
   */
  @Override
  public void seek(Map<Integer, Long> next) {
    checkOpen();
    Objects.requireNonNull(next, "next");
    List<Integer> partitions = partitions();
    next.forEach((partition, offset) -> {
      if (!partitions.contains(partition) || offset == null || offset < 0) {
        throw new IllegalArgumentException("Cannot seek kafka topic '" + topic + "' to offset "
            + offset + " of partition " + partition + ": its partitions are " + partitions
            + " and offsets are >= 0");
      }
    });
    List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    try {
      consumer.assign(all);
      for (TopicPartition partition : all) {
        Long offset = next.get(partition.partition());
        if (offset != null) {
          consumer.seek(partition, offset);
        } else if (fromEarliest) {
          consumer.seekToBeginning(List.of(partition));
        } else {
          consumer.seekToEnd(List.of(partition));
        }
      }
      // seekToBeginning/End are lazy: resolve them now, so "latest" means the end at this call
      all.forEach(consumer::position);
    } catch (KafkaException e) {
      throw clients.failure("Cannot seek kafka topic '" + topic + "': " + clients.describe(e)
          + StreamTopics.hint(e), e);
    }
    assigned = all;
  }

  @Override
  public List<FeedRecord> poll(Duration timeout) {
    checkOpen();
    Objects.requireNonNull(timeout, "timeout");
    if (assigned == null) {
      throw new IllegalStateException("Cannot poll kafka topic '" + topic + "': seek first");
    }
    List<FeedRecord> records = new ArrayList<>();
    try {
      try {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
          records.add(new FeedRecord(record.partition(), record.offset(), record.key(),
              record.value(), record.timestamp()));
        }
      } catch (OffsetOutOfRangeException e) {
        continueAtOldest(e.offsetOutOfRangePartitions());
      }
    } catch (KafkaException e) {
      throw clients.failure("Cannot poll kafka topic '" + topic + "': " + clients.describe(e)
          + StreamTopics.hint(e), e);
    }
    return records;
  }

  /** Moves each partition whose offset is out of its range to its oldest record, loudly. */
  private void continueAtOldest(Map<TopicPartition, Long> outOfRange) {
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(outOfRange.keySet());
    Map<TopicPartition, Long> ends = consumer.endOffsets(outOfRange.keySet());
    outOfRange.forEach((partition, offset) -> {
      long start = starts.get(partition);
      String why = offset < start
          ? "records " + offset + " to " + (start - 1) + " were deleted before Lockstep read them"
          : "the partition now ends at " + ends.get(partition) + " (was the topic recreated?)";
      LOGGER.log(System.Logger.Level.WARNING, describe(partition.partition(), offset)
          + " is gone: " + why + "; continuing at offset " + start);
      consumer.seek(partition, start);
    });
  }

  /** {@code kafka topic <topic>, partition <p>, offset <o>}. */
  @Override
  public String describe(int partition, long offset) {
    return "kafka topic " + topic + ", partition " + partition + ", offset " + offset;
  }

  /** Closes the consumer. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      consumer.close(CloseOptions.timeout(clients.timeout()));
    } catch (KafkaException e) {
      throw clients.failure("Cannot close the reader of kafka topic '" + topic + "' cleanly: "
          + clients.describe(e), e);
    }
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot use " + this + ": it is closed");
    }
  }

  @Override
  public String toString() {
    return "the kafka feed reader of topic '" + topic + "' on " + clients.bootstrapServers();
  }
}
