package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka topic of JSON records feeding a source, as a user sets it up in lockstep.yaml: every good
 * record is served online and lands offline once; poison records (not JSON, not an object, missing
 * the event time, a wrong type, a tombstone) go to the quarantine table with the reason and the
 * topic position and to the dead-letter topic with the reason in a header, and never stall the
 * records behind them.
 */
class KafkaFeedTest {
  @TempDir Path repo;
  private final String namespace = Distributed.namespace();

  @Test
  void goodRecordsAreServedAndPoisonIsQuarantinedAndDeadLettered() throws Exception {
    String topic = namespace + "-events";
    String deadLetters = namespace + "-events-dlq";
    Distributed.createTopic(topic, 3);
    Distributed.createTopic(deadLetters, 1);
    Files.writeString(repo.resolve("features.yaml"), StreamingCrashTest.DEFINITIONS);
    Distributed.writeConfig(repo, namespace, """
        streams:
          events: {backend: kafka, topic: %s, bootstrap.servers: '%s', dead-letter-topic: %s}
        """.formatted(topic, Distributed.kafka(), deadLetters));

    Random random = new Random(7);
    List<String> values = new ArrayList<>();
    Map<String, Long> perCard = new HashMap<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 300; i++) {
      String card = "k" + random.nextInt(17);
      perCard.merge(card, 1L, Long::sum);
      values.add("{\"card_id\": \"" + card + "\", \"ts\": " + (now - random.nextInt(100_000)) + ", \"id\": \"e" + i + "\"}");
      if (i == 100) {
        values.add("{not json");
        values.add("[1, 2]");
        values.add("{\"card_id\": \"k1\", \"id\": \"no time\"}");
        values.add("{\"card_id\": \"k1\", \"ts\": \"yesterday\", \"id\": \"bad time\"}");
        values.add(null);
      }
    }
    Distributed.produce(topic, values);

    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
    }
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.online().startStreaming();
      assertThat(lockstep.followStreams()).containsExactly("events");
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (lockstep.online().metrics().sources().getOrDefault("events", Map.of()).getOrDefault("accepted", 0L) < 300
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      lockstep.online().awaitApplied(Duration.ofSeconds(60));
      lockstep.online().flushOffline();

      List<Map<String, Object>> cards = new ArrayList<>();
      perCard.keySet().forEach(card -> cards.add(Map.of("card_id", card)));
      for (FeatureVector vector : lockstep.online().client().features(BatchFeatureRequest.forService("totals", cards))) {
        assertThat(vector.value("totals__events_ever")).as("online count of " + vector.entity())
            .isEqualTo(perCard.get((String) vector.entity().get("card_id")));
      }
      Map<String, Integer> ids = new HashMap<>();
      try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("events", ScanRequest.latest())) {
        rows.forEachRemaining(row -> ids.merge((String) row.value(1), 1, Integer::sum));
      }
      assertThat(ids).hasSize(300).allSatisfy((id, count) -> assertThat(count).isOne());

      List<Row> quarantined = new ArrayList<>();
      try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("events__quarantine", ScanRequest.latest())) {
        rows.forEachRemaining(quarantined::add);
      }
      assertThat(quarantined).hasSize(5);
      assertThat(quarantined).extracting(row -> (String) row.value(0))
          .allMatch(position -> position.matches("kafka topic " + topic + ", partition \\d, offset \\d+"));
      assertThat(quarantined).extracting(row -> (String) row.value(3))
          .containsExactlyInAnyOrder("{not json", "[1, 2]", "{\"card_id\": \"k1\", \"id\": \"no time\"}",
              "{\"card_id\": \"k1\", \"ts\": \"yesterday\", \"id\": \"bad time\"}", "");
      assertThat(quarantined).extracting(row -> (String) row.value(2))
          .anyMatch(reason -> reason.startsWith("the record is not JSON"))
          .contains("the record is not a JSON object", "the record has no value");

      List<ConsumerRecord<byte[], byte[]>> letters = readAll(deadLetters);
      assertThat(letters).hasSize(5);
      assertThat(letters).allSatisfy(letter -> {
        assertThat(letter.headers().lastHeader("lockstep.reason")).isNotNull();
        assertThat(new String(letter.headers().lastHeader("lockstep.source.topic").value(), StandardCharsets.UTF_8))
            .isEqualTo(topic);
      });
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Distributed.kafka());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  @AfterEach
  void dropNamespace() {
    Distributed.drop(namespace);
  }
}
