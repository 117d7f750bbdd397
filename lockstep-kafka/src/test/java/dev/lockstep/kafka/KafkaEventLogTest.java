package dev.lockstep.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.kafka.broker.LocalKafkaBroker;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.testkit.contract.EventLogContract;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log contract on a real broker, each test in a namespace of its own, and what is
 * particular to Kafka: where keys go, how topics are configured, which settings are fixed, and how
 * failures are told apart.
 */
class KafkaEventLogTest extends EventLogContract {
  private static final String SECRET = "hunter2DoNotPrint";
  private static final String STREAM_OF_TOPIC_TEST = "configured";

  private String namespace;

  @Override
  protected EventLog newLog() {
    namespace = TestKafka.unique("log");
    return open(TestKafka.bootstrapServers(), Map.of());
  }

  private EventLog open(String bootstrapServers, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(Map.of(
        "bootstrap.servers", bootstrapServers, "namespace", namespace, "timeout", "20s"));
    properties.putAll(extra);
    return Backends.load(EventLog.class, "kafka", properties);
  }

  @Test
  void defaultsArePinned() {
    assertThat(KafkaEventLogFactory.BOOTSTRAP_SERVERS_DEFAULT).isEqualTo("127.0.0.1:9092");
    assertThat(KafkaEventLogFactory.NAMESPACE_DEFAULT).isEqualTo("lockstep");
    assertThat(KafkaEventLogFactory.REPLICATION_FACTOR_DEFAULT).isEqualTo(1);
    assertThat(KafkaEventLogFactory.TIMEOUT_DEFAULT).isEqualTo(Duration.ofSeconds(30));
    assertThat(new KafkaEventLogFactory().secretKeys()).contains("kafka.sasl.jaas.config",
        "kafka.ssl.keystore.key", "kafka.ssl.key.password");
    assertThat(log.name()).isEqualTo("kafka");
    assertThat(log.displayName()).isEqualTo("Kafka");
  }

  @Test
  void aKeyGoesWhereKafkasDefaultPartitionerPutsIt() throws Exception {
    log.createStream("keys", 5);
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      records.add(record("card-" + i, "v", 1));
    }
    records.add(new LogRecord(new byte[0], new byte[1], 1));
    List<Position> positions = log.append("keys", records);

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", TestKafka.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < records.size(); i++) {
        int partition = producer.send(new ProducerRecord<>(namespace + ".keys",
            records.get(i).key(), records.get(i).value())).get().partition();
        assertThat(positions.get(i).partition()).as("record %d", i).isEqualTo(partition);
      }
    }
  }

  @Test
  void topicsKeepEveryRecordAndTimestampAsWritten() throws Exception {
    log.createStream(STREAM_OF_TOPIC_TEST, 1);
    String topic = namespace + "." + STREAM_OF_TOPIC_TEST;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Map<String, String> config = new HashMap<>();
      admin.describeConfigs(List.of(resource)).all().get().get(resource).entries()
          .forEach(entry -> config.put(entry.name(), entry.value()));
      assertThat(config).containsEntry("retention.ms", "-1")
          .containsEntry("retention.bytes", "-1")
          .containsEntry("cleanup.policy", "delete")
          .containsEntry("message.timestamp.type", "CreateTime")
          .containsEntry("message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE))
          .containsEntry("message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE))
          .containsEntry("min.insync.replicas", "1");
    }
    log.append(STREAM_OF_TOPIC_TEST, List.of(record("k", "ingested", 1_700_000_000_123L),
        record("k", "before 1970", -42)));

    List<ConsumerRecord<byte[], byte[]>> raw = TestKafka.readPartitionZero(topic, 2);
    assertThat(raw.get(0).timestamp()).isEqualTo(1_700_000_000_123L);
    assertThat(raw.get(0).headers().toArray()).isEmpty();
    assertThat(new String(raw.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("ingested");
    assertThat(ByteBuffer.wrap(raw.get(1).headers().lastHeader("lockstep.timestamp").value())
        .getLong()).isEqualTo(-42);
    assertThat(log.read(STREAM_OF_TOPIC_TEST, Position.start(0), 10))
        .extracting(entry -> entry.record().timestampMillis())
        .containsExactly(1_700_000_000_123L, -42L);
  }

  @Test
  void theSettingsTheGuaranteesRestOnCannotBeChanged() {
    assertThatThrownBy(() -> open(TestKafka.bootstrapServers(), Map.of("kafka.acks", "1")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'kafka': property 'kafka.acks' cannot be set (the"
            + " kafka backend sets acks=all, which its guarantees rest on; remove it)");
    assertThatThrownBy(() -> open(TestKafka.bootstrapServers(),
        Map.of("kafka.isolation.level", "read_uncommitted")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("'kafka.isolation.level' cannot be set");
    assertThatThrownBy(() -> open(TestKafka.bootstrapServers(),
        Map.of("kafka.bootstrap.servers", "elsewhere:9092")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'kafka': property 'kafka.bootstrap.servers' is not"
            + " passed on (set 'bootstrap.servers' instead)");
    assertThatThrownBy(() -> open(TestKafka.bootstrapServers(), Map.of("namespace", "a b")))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageStartingWith("Cannot configure backend 'kafka': property 'namespace' must be");
  }

  @Test
  void clientPropertiesArePassedOn() {
    try (EventLog small = open(TestKafka.bootstrapServers(),
        Map.of("kafka.max.request.size", "2000"))) {
      small.createStream("small", 1);

      assertThatThrownBy(() -> small.append("small", List.of(record("k", "x".repeat(3000), 1))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot append to stream 'small': record 0 has 3001 bytes of key and value,"
              + " more than the 1872 a Kafka request may carry (split it, or raise"
              + " kafka.max.request.size and the topic's max.message.bytes)");
      assertThat(small.endPositions("small")).containsExactly(Position.start(0));
    }
  }

  @Test
  void aRecordTheBrokerRefusesFailsWithNothingAppended() throws Exception {
    log.createStream("refusing", 1);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, namespace + ".refusing");
      admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
          new ConfigEntry("max.message.bytes", "1000"), AlterConfigOp.OpType.SET)))).all().get();
    }
    Thread.sleep(500); // the broker applies topic configuration changes asynchronously

    assertThatThrownBy(() -> log.append("refusing", List.of(record("k", "x".repeat(5000), 1))))
        .isExactlyInstanceOf(BackendException.class)
        .hasMessageStartingWith("Cannot append 1 records to stream 'refusing' (topic '"
            + namespace + ".refusing'): RecordTooLargeException")
        .hasMessageEndingWith("(nothing was appended)");
    assertThat(log.endPositions("refusing")).containsExactly(Position.start(0));
  }

  @Test
  void aBrokerGoneMidwayMakesTheOutcomeUnknown(@TempDir Path dir) {
    LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0);
    try (EventLog other = open(broker.bootstrapServers(), Map.of("timeout", "2s"))) {
      other.createStream("s", 1);
      other.append("s", List.of(record("k", "v", 1)));
      broker.close();

      assertThatThrownBy(() -> other.append("s", List.of(record("k", "v", 2))))
          .isInstanceOf(OutcomeUnknownException.class)
          .hasMessageStartingWith("Cannot append 1 records to stream 's' (topic '" + namespace
              + ".s'): 0 acknowledged, then ")
          .hasMessageEndingWith("(others may have been appended too: read the end positions"
              + " before retrying)");
    } finally {
      broker.close();
    }
  }

  @Test
  void anUnreachableBrokerFailsToOpenWithAHint() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    assertThatThrownBy(() -> open("127.0.0.1:" + closedPort, Map.of("timeout", "1s")))
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith("Cannot open the kafka event log on 127.0.0.1:" + closedPort
            + " (namespace " + namespace + "): TimeoutException")
        .hasMessageEndingWith("(check bootstrap.servers and that the brokers are up; for a local"
            + " broker, run bin/kafka-broker start)");
  }

  @Test
  void secretsNeverAppearInErrors() {
    Map<String, String> sasl = Map.of("timeout", "1s",
        "kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN",
        "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
            + " required username=\"lockstep\" password=\"" + SECRET + "\";");
    // the broker speaks PLAINTEXT: the SASL handshake fails and the open times out
    Throwable refused = catchFailure(() -> open(TestKafka.bootstrapServers(), sasl));
    // a password where the control flag belongs: Kafka's error quotes it
    Map<String, String> malformed = new HashMap<>(sasl);
    malformed.put("kafka.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule " + SECRET + " username=u;");
    Throwable rejected = catchFailure(() -> open(TestKafka.bootstrapServers(), malformed));

    assertThat(refused).isInstanceOf(BackendException.class)
        .hasMessageStartingWith("Cannot open the kafka event log");
    assertThat(rejected).isInstanceOf(BackendConfigException.class)
        .hasMessageStartingWith("Cannot configure backend 'kafka': the Kafka ")
        .hasMessageContaining("Invalid login module control flag '****' in JAAS config");
    for (Throwable failure : List.of(refused, rejected)) {
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(SECRET);
    }
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
