package dev.lockstep.bench.online;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The floor of event → servable over Kafka: a plain consumer of the feed topic in this JVM that
 * records, for every record stamped by {@link #stamp}, the time from the producer's {@code send} to
 * the poll that returned it. It reads from the topic's end when started, beside Lockstep's own
 * reader of the topic.
 */
final class KafkaEndToEnd implements AutoCloseable {
  private static final String HEADER = "lockstep-bench-sent-nanos";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Latencies latencies = new Latencies();
  private final Thread thread;
  private volatile boolean running = true;

  KafkaEndToEnd(String bootstrapServers, String topic) {
    consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "kafka-end-to-end");
    thread.setDaemon(true);
    thread.start();
  }

  /** Marks {@code headers}' record as sent now. */
  static void stamp(Headers headers) {
    headers.add(HEADER, ByteBuffer.allocate(Long.BYTES).putLong(System.nanoTime()).array());
  }

  private void run() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        Header sent = record.headers().lastHeader(HEADER);
        if (sent != null) {
          latencies.record(System.nanoTime() - ByteBuffer.wrap(sent.value()).getLong());
        }
      }
    }
  }

  /** Stops reading; the latencies of the records read so far. */
  Latencies finish() throws InterruptedException {
    running = false;
    thread.join();
    return latencies;
  }

  @Override
  public void close() throws InterruptedException {
    if (running) {
      finish();
    }
    consumer.close();
  }
}
