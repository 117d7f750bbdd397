package dev.lockstep.cli;

import dev.lockstep.kafka.broker.LocalKafkaBroker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real distributed systems the tests run Lockstep on: one Kafka broker per test JVM (started on
 * first use, in KRaft mode, from Maven Central's artifacts), and the machine's Redis and PostgreSQL
 * on their standard ports. Each test gets its own namespace, so runs never see each other's data.
 */
final class Distributed {
  private static LocalKafkaBroker broker;

  private Distributed() {}

  /** The broker's bootstrap servers, starting it on first use. */
  static synchronized String kafka() {
    if (broker == null) {
      try {
        Path dir = Files.createTempDirectory("lockstep-test-kafka-");
        broker = LocalKafkaBroker.start(dir, 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> broker.close()));
    }
    return broker.bootstrapServers();
  }

  /** A fresh namespace: letters and digits, safe in topic names, Redis keys and SQL values. */
  static String namespace() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /**
   * A lockstep.yaml running the project on Kafka (event log), Redis (online store) and PostgreSQL
   * (registry) under {@code namespace}, with the offline store embedded; {@code extra} is appended.
   */
  static String config(String namespace, String extra) {
    return """
        registry: {backend: postgres, namespace: %1$s}
        online: {backend: redis, namespace: %1$s}
        event_log: {backend: kafka, bootstrap.servers: '%2$s', namespace: %1$s}
        """.formatted(namespace, kafka()) + extra;
  }

  static void writeConfig(Path repo, String namespace, String extra) throws IOException {
    Files.writeString(repo.resolve("lockstep.yaml"), config(namespace, extra));
  }

  /** Creates {@code topic} with {@code partitions} partitions unless it exists. */
  static void createTopic(String topic, int partitions) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka());
    try (Admin admin = Admin.create(properties)) {
      if (!admin.listTopics().names().get().contains(topic)) {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topic " + topic, e);
    }
  }

  /** Produces {@code values} to {@code topic}, waiting until every one is acknowledged. */
  static void produce(String topic, List<String> values) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  /** Every Redis key matching {@code pattern}, by a full SCAN. */
  static List<String> redisKeys(String pattern) {
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    List<String> keys = new java.util.ArrayList<>();
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
        keys.addAll(page.getKeys());
        cursor = page;
      } while (!cursor.isFinished());
    } finally {
      client.shutdown();
    }
    return keys;
  }

  /** Deletes what a test left under {@code namespace}: its Redis keys and its registry rows. */
  static void drop(String namespace) {
    dropRedis(namespace);
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:5432/postgres", System.getProperty("user.name"), "");
        java.sql.PreparedStatement delete =
            connection.prepareStatement("DELETE FROM lockstep_registry WHERE namespace = ?")) {
      delete.setString(1, namespace);
      delete.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Cannot delete the registry rows of namespace " + namespace, e);
    }
  }

  /** Deletes every Redis key of {@code namespace}. */
  static void dropRedis(String namespace) {
    List<String> keys = redisKeys(namespace + ":*");
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      for (int from = 0; from < keys.size(); from += 1000) {
        connection.sync().unlink(keys.subList(from, Math.min(keys.size(), from + 1000)).toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
  }

}
