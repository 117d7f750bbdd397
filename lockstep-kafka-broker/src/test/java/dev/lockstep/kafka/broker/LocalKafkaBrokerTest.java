package dev.lockstep.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalKafkaBrokerTest {
  @TempDir Path dir;

  @Test
  void recordsSurviveAStopAndAStartOnTheSameDirectory() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0)) {
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> producer = producer(broker)) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("kept", i % 2, "key-" + i, "value-" + i)).get();
        }
      }
    }

    try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        KafkaProducer<String, String> producer = producer(broker, "max.block.ms", "1000")) {
      assertThat(admin.listTopics().names().get()).contains("kept");
      assertThat(readAll(broker, "kept", 2)).containsExactlyInAnyOrder(
          "value-0", "value-1", "value-2", "value-3", "value-4",
          "value-5", "value-6", "value-7", "value-8", "value-9");

      // topics are never created automatically
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("missing", "v")).get())
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
      assertThatThrownBy(() -> admin.describeTopics(Set.of("missing")).allTopicNames().get())
          .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }
  }

  @Test
  void aTakenPortFailsWithTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> LocalKafkaBroker.start(dir, port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Cannot start a Kafka broker on 127.0.0.1:" + port + " in ")
          .hasMessageEndingWith("(port " + port + " is in use: stop what uses it, or choose"
              + " another port)");
    }
  }

  @Test
  void aPortMustBeAPort() {
    assertThatThrownBy(() -> LocalKafkaBroker.start(dir, 70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot start a Kafka broker on port 70000: a port is 0 to 65535"
            + " (0 picks a free one)");
  }

  private static KafkaProducer<String, String> producer(LocalKafkaBroker broker, String... extra) {
    Map<String, Object> config = new java.util.HashMap<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers(), "acks", "all",
        "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class));
    for (int i = 0; i < extra.length; i += 2) {
      config.put(extra[i], extra[i + 1]);
    }
    return new KafkaProducer<>(config);
  }

  private static List<String> readAll(LocalKafkaBroker broker, String topic, int partitions) {
    List<TopicPartition> all = new ArrayList<>();
    for (int partition = 0; partition < partitions; partition++) {
      all.add(new TopicPartition(topic, partition));
    }
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers(),
        "key.deserializer", StringDeserializer.class,
        "value.deserializer", StringDeserializer.class))) {
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> ends = consumer.endOffsets(all);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (all.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
