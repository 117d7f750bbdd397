package dev.lockstep.bench.online;

import dev.lockstep.kafka.broker.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A local Kafka broker ({@link LocalKafkaBroker}, KRaft, in this JVM, in a fresh directory) with
 * the feed topic of the payments source, and plain producers for it. A record's value is one JSON
 * object with the source's columns; its key is the card.
 */
final class KafkaFeed implements AutoCloseable {
  private final LocalKafkaBroker broker;
  private final Path directory;

  private KafkaFeed(LocalKafkaBroker broker, Path directory) {
    this.broker = broker;
    this.directory = directory;
  }

  /** Starts a broker on a free port with its data in {@code directory} (deleted first). */
  static KafkaFeed start(Path directory) throws Exception {
    FraudProject.deleteRecursively(directory);
    long start = System.nanoTime();
    LocalKafkaBroker broker = LocalKafkaBroker.start(directory, 0);
    Results.say("Kafka broker at %s started in %.1f s", broker.bootstrapServers(), (System.nanoTime() - start) / 1e9);
    return new KafkaFeed(broker, directory);
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** Creates {@code topic} with {@code partitions} partitions (replication 1). */
  void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** A producer with {@code acks=all}, batching for {@code lingerMillis}. */
  KafkaProducer<byte[], byte[]> producer(int lingerMillis) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, lingerMillis,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.CLIENT_ID_CONFIG, "lockstep-bench-feed"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** One payment as the feed carries it: a JSON object with the payments source's columns. */
  static byte[] json(String card, long eventTime, double amount, String merchant, long items) {
    return String.format(Locale.ROOT,
        "{\"card_id\":\"%s\",\"event_time\":%d,\"amount\":%.2f,\"merchant\":\"%s\",\"items\":%d}",
        card, eventTime, amount, merchant, items).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] key(String card) {
    return card.getBytes(StandardCharsets.UTF_8);
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() throws Exception {
    broker.close();
    FraudProject.deleteRecursively(directory);
  }
}
