package dev.lockstep.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import dev.lockstep.spi.feed.FeedReader;
import dev.lockstep.spi.feed.FeedRecord;
import dev.lockstep.spi.feed.SupportsDeadLetters;
import dev.lockstep.spi.feed.SupportsDeadLetters.DeadLetter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Kafka feed reader on a real broker, with records written by a plain Kafka producer. */
class KafkaFeedReaderTest {
  private static final byte[] GARBAGE = {(byte) 0xFF, 0x00, (byte) 0xC3, 0x28, '{'};
  private static final String SECRET = "hunter2DoNotPrint";

  private final List<FeedReader> readers = new ArrayList<>();

  @AfterEach
  void closeReaders() {
    readers.forEach(FeedReader::close);
  }

  @Test
  void defaultsArePinned() {
    assertThat(KafkaFeedReaderFactory.BOOTSTRAP_SERVERS_DEFAULT).isEqualTo("127.0.0.1:9092");
    assertThat(KafkaFeedReaderFactory.START_DEFAULT).isEqualTo("earliest");
    assertThat(KafkaFeedReaderFactory.TIMEOUT_DEFAULT).isEqualTo(Duration.ofSeconds(30));
    assertThat(new KafkaFeedReaderFactory().secretKeys()).contains("kafka.sasl.jaas.config");
  }

  @Test
  void everyRecordComesBackWithItsPartitionAndOffsetWhateverItsBytes() throws Exception {
    String topic = TestKafka.unique("feed");
    TestKafka.createTopic(topic, 3);
    Map<String, FeedRecord> sent = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 30; i++) {
        byte[] key = i % 4 == 0 ? null : ("card-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value = switch (i % 4) {
          case 0 -> ("{\"card\":\"c" + i + "\",\"amount\":12.5}").getBytes(StandardCharsets.UTF_8);
          case 1 -> GARBAGE;
          case 2 -> null;
          default -> new byte[0];
        };
        RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, i % 3,
            1_700_000_000_000L + i, key, value)).get();
        sent.put(metadata.partition() + ":" + metadata.offset(), new FeedRecord(
            metadata.partition(), metadata.offset(), key, value, 1_700_000_000_000L + i));
      }
    }
    FeedReader reader = reader(topic);

    assertThat(reader.partitions()).containsExactly(0, 1, 2);
    reader.seek(Map.of());
    List<FeedRecord> read = pollUntil(reader, 30);

    assertThat(read).hasSize(30);
    for (FeedRecord record : read) {
      FeedRecord expected = sent.get(record.partition() + ":" + record.offset());
      assertThat(expected).as("record at %d:%d", record.partition(), record.offset()).isNotNull();
      assertThat(record.key()).isEqualTo(expected.key());
      assertThat(record.value()).isEqualTo(expected.value());
      assertThat(record.timestampMillis()).isEqualTo(expected.timestampMillis());
    }
    for (int partition = 0; partition < 3; partition++) {
      int p = partition;
      assertThat(read.stream().filter(r -> r.partition() == p).map(FeedRecord::offset).toList())
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }
  }

  @Test
  void seekResumesExactlyAtTheGivenOffsets() throws Exception {
    String topic = topicWithRecords(2, 10);
    FeedReader reader = reader(topic);

    reader.seek(Map.of(0, 4L, 1, 9L));
    assertThat(positions(pollUntil(reader, 7)))
        .containsExactly("0:4", "0:5", "0:6", "0:7", "0:8", "0:9", "1:9");
    assertThat(reader.poll(Duration.ofMillis(200))).isEmpty();

    reader.seek(Map.of(1, 8L));
    assertThat(positions(pollUntil(reader, 12))).containsExactly("0:0", "0:1", "0:2", "0:3",
        "0:4", "0:5", "0:6", "0:7", "0:8", "0:9", "1:8", "1:9");
  }

  @Test
  void withStartLatestPartitionsWithoutAnOffsetBeginAtTheirEnd() throws Exception {
    String topic = topicWithRecords(2, 3);
    FeedReader reader = reader(topic, "start", "latest");

    reader.seek(Map.of(0, 1L));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, 1, null, "new".getBytes(StandardCharsets.UTF_8)))
          .get();
    }

    assertThat(positions(pollUntil(reader, 3))).containsExactly("0:1", "0:2", "1:3");
  }

  @Test
  void aPositionDeletedBeforeItWasReadContinuesAtTheOldestRecord() throws Exception {
    String topic = topicWithRecords(1, 10);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(6)))
          .all().get(30, TimeUnit.SECONDS);
    }
    FeedReader reader = reader(topic);

    reader.seek(Map.of(0, 2L));

    assertThat(positions(pollUntil(reader, 4))).containsExactly("0:6", "0:7", "0:8", "0:9");
  }

  @Test
  void deadLettersCarryTheOriginalRecordAndWhy() throws Exception {
    String topic = topicWithRecords(2, 2);
    String deadLetters = topic + "-dead";
    TestKafka.createTopic(deadLetters, 1);
    FeedReader reader = reader(topic, "dead-letter-topic", deadLetters);
    reader.seek(Map.of());
    List<FeedRecord> read = pollUntil(reader, 4);
    FeedRecord first = read.get(0);
    FeedRecord last = read.get(3);

    SupportsDeadLetters letters = Capabilities.require(reader, SupportsDeadLetters.class,
        "dead letters");
    letters.deadLetter(List.of(new DeadLetter(first, "not a JSON object"),
        new DeadLetter(last, "column 'amount' is missing")));

    List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.readPartitionZero(deadLetters, 2);
    assertThat(dead).hasSize(2);
    assertThat(dead.get(0).key()).isEqualTo(first.key());
    assertThat(dead.get(0).value()).isEqualTo(first.value());
    assertThat(headers(dead.get(0))).containsExactly(
        "lockstep.reason=not a JSON object",
        "lockstep.source.topic=" + topic,
        "lockstep.source.partition=" + first.partition(),
        "lockstep.source.offset=" + first.offset());
    assertThat(dead.get(1).value()).isEqualTo(last.value());
    assertThat(headers(dead.get(1))).contains("lockstep.reason=column 'amount' is missing",
        "lockstep.source.offset=" + last.offset());
  }

  @Test
  void withoutADeadLetterTopicTheReaderHasNoDeadLetters() throws Exception {
    FeedReader reader = reader(topicWithRecords(1, 1));

    assertThat(reader).isNotInstanceOf(SupportsDeadLetters.class);
    assertThatThrownBy(() -> Capabilities.require(reader, SupportsDeadLetters.class,
        "dead letters"))
        .isInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessage("Kafka does not support dead letters");
  }

  @Test
  void missingTopicsAreNamed() throws Exception {
    String topic = topicWithRecords(1, 1);
    String missing = TestKafka.unique("missing");
    FeedReader reader = reader(topic, "dead-letter-topic", missing, "timeout", "5s");
    reader.seek(Map.of());
    FeedRecord record = pollUntil(reader, 1).get(0);

    assertThatThrownBy(() -> reader(missing).partitions())
        .isInstanceOf(BackendException.class)
        .hasMessage("Cannot read kafka topic '" + missing + "': no such topic on "
            + TestKafka.bootstrapServers() + " (create it, or correct the feed's topic)");
    assertThatThrownBy(() -> ((SupportsDeadLetters) reader).deadLetter(
        List.of(new DeadLetter(record, "bad"))))
        .isInstanceOf(BackendException.class)
        .hasMessage("Cannot send dead letters to kafka topic '" + missing + "': no such topic on "
            + TestKafka.bootstrapServers() + " (create it, or correct the feed's"
            + " dead-letter-topic)");
  }

  @Test
  void pollingNeedsASeekFirst() throws Exception {
    String topic = topicWithRecords(1, 1);
    FeedReader reader = reader(topic);

    assertThatThrownBy(() -> reader.poll(Duration.ofMillis(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot poll kafka topic '" + topic + "': seek first");
    assertThatThrownBy(() -> reader.seek(Map.of(3, 0L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot seek kafka topic '" + topic + "' to offset 0 of partition 3: its"
            + " partitions are [0] and offsets are >= 0");
  }

  @Test
  void describeNamesTopicPartitionAndOffset() {
    FeedReader reader = reader("payments");

    assertThat(reader.describe(0, 17)).isEqualTo("kafka topic payments, partition 0, offset 17");
  }

  @Test
  void propertiesAreChecked() {
    assertThatThrownBy(() -> Backends.load(FeedReader.class, "kafka", Map.of()))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'kafka': property 'topic' is required but not set"
            + " (set it in the kafka properties)");
    assertThatThrownBy(() -> reader("payments", "start", "middle"))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'kafka': property 'start' must be earliest or"
            + " latest, got 'middle' (where partitions without a position start; the default is"
            + " earliest)");
    assertThatThrownBy(() -> reader("payments", "dead-letter-topic", "payments"))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("property 'dead-letter-topic' is the feed's own topic");
    assertThatThrownBy(() -> reader("pay ments"))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("property 'topic' is not a Kafka topic name: 'pay ments'");
    assertThatThrownBy(() -> reader("payments", "kafka.enable.auto.commit", "true"))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("property 'kafka.enable.auto.commit' cannot be set");
  }

  @Test
  void secretsNeverAppearInErrors() throws Exception {
    String topic = topicWithRecords(1, 1);
    String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"lockstep\" password=\"" + SECRET + "\";";
    FeedReader refused = reader(topic, "timeout", "1s", "kafka.security.protocol",
        "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN", "kafka.sasl.jaas.config", jaas);
    Throwable unreachable = catchFailure(refused::partitions);
    Throwable rejected = catchFailure(() -> reader(topic, "kafka.security.protocol",
        "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN", "kafka.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule " + SECRET + ";"));

    assertThat(unreachable).isInstanceOf(BackendException.class)
        .hasMessageStartingWith("Cannot read kafka topic '" + topic + "'");
    assertThat(rejected).isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("'****'");
    for (Throwable failure : List.of(unreachable, rejected)) {
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(SECRET);
    }
    assertThat(refused.toString()).doesNotContain(SECRET);
  }

  private FeedReader reader(String topic, String... properties) {
    Map<String, String> config = new HashMap<>(Map.of(
        "topic", topic, "bootstrap.servers", TestKafka.bootstrapServers(), "timeout", "20s"));
    for (int i = 0; i < properties.length; i += 2) {
      config.put(properties[i], properties[i + 1]);
    }
    FeedReader reader = Backends.load(FeedReader.class, "kafka", config);
    readers.add(reader);
    return reader;
  }

  /** A new topic whose every partition holds {@code perPartition} records, values p-o. */
  private static String topicWithRecords(int partitions, int perPartition) throws Exception {
    String topic = TestKafka.unique("feed");
    TestKafka.createTopic(topic, partitions);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int partition = 0; partition < partitions; partition++) {
        for (int i = 0; i < perPartition; i++) {
          producer.send(new ProducerRecord<>(topic, partition, null,
              (partition + "-" + i).getBytes(StandardCharsets.UTF_8))).get();
        }
      }
    }
    return topic;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of("bootstrap.servers", TestKafka.bootstrapServers(),
        "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static List<FeedRecord> pollUntil(FeedReader reader, int count) {
    List<FeedRecord> records = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (records.size() < count && System.nanoTime() < deadline) {
      records.addAll(reader.poll(Duration.ofMillis(100)));
    }
    return records;
  }

  /** {@code partition:offset} of each record, sorted. */
  private static List<String> positions(List<FeedRecord> records) {
    return records.stream().sorted((a, b) -> a.partition() != b.partition()
        ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()))
        .map(record -> record.partition() + ":" + record.offset()).toList();
  }


  private static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
    return Arrays.stream(record.headers().toArray())
        .map((Header header) -> header.key() + "=" + new String(header.value(),
            StandardCharsets.UTF_8)).toList();
  }

  private static Throwable catchFailure(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
