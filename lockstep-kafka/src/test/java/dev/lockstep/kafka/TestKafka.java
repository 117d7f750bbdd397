package dev.lockstep.kafka;

import dev.lockstep.kafka.broker.LocalKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One real Kafka broker for every test of this JVM: started on first use in a temporary directory,
 * on a free port, and shut down and deleted when the JVM exits. Tests keep apart by names: each
 * uses its own namespace or topics ({@link #unique}).
 */
final class TestKafka {
  private static LocalKafkaBroker broker;

  private TestKafka() {}

  /** The broker's {@code bootstrap.servers}, starting it on first use. */
  static synchronized String bootstrapServers() {
    if (broker == null) {
      try {
        Path directory = Files.createTempDirectory("lockstep-kafka-test-");
        broker = LocalKafkaBroker.start(directory, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          broker.close();
          deleteRecursively(directory);
        }, "test-kafka-shutdown"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return broker.bootstrapServers();
  }

  /** {@code prefix} and a random suffix: a name no other test uses. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates {@code topic} with {@code partitions} partitions, replication 1. */
  static void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary directory: the system cleans it eventually.
    }
  }

  /** Up to {@code count} records of partition 0 of {@code topic} from its start, waiting up to 20 s. */
  static List<ConsumerRecord<byte[], byte[]>> readPartitionZero(String topic, int count) {
    TopicPartition partition = new TopicPartition(topic, 0);
    List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        Map.of("bootstrap.servers", bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(java.time.Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }
}
