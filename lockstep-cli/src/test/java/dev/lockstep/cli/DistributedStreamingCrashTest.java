package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link StreamingCrashTest} on Kafka (event log), Redis (online store, whose checkpoint is written
 * in the same MULTI/EXEC as the state) and PostgreSQL (registry), with a Kafka topic feeding the
 * same source besides the pushes: records are produced before every round, including poison ones,
 * and the child follows the topic while it pushes. After the kills every pushed and every fed event
 * is offline exactly once and the online counts match.
 */
class DistributedStreamingCrashTest extends StreamingCrashTest {
  private static final int FED_PER_ROUND = 500;

  private final String namespace = Distributed.namespace();
  private final String topic = namespace + "-events";
  private final Set<String> fed = new HashSet<>();

  @Override
  protected int rounds() {
    return 4;
  }

  /** Long enough for the child to connect to Kafka and follow part of the feed before it dies. */
  @Override
  protected long killDelayMillis(java.util.Random random) {
    return 3_000 + random.nextInt(5_000);
  }

  @Override
  protected void configure(Path repo) throws Exception {
    Distributed.writeConfig(repo, namespace, """
        streams:
          events: {backend: kafka, topic: %s, bootstrap.servers: '%s'}
        """.formatted(topic, Distributed.kafka()));
  }

  @Override
  protected void verify(Lockstep lockstep) {
    Set<String> reasons = new HashSet<>();
    Set<String> positions = new HashSet<>();
    try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("events__quarantine", ScanRequest.latest())) {
      rows.forEachRemaining(row -> {
        positions.add((String) row.value(0));
        reasons.add(((String) row.value(2)).replaceAll(" \\(.*", ""));
      });
    }
    // 3 poison records per 100 fed ones, each quarantined at least once (a crash between the
    // quarantine append and the next checkpoint may quarantine one again)
    assertThat(positions).hasSize(rounds() * FED_PER_ROUND / 100 * 3);
    assertThat(positions).allMatch(position -> position.startsWith("kafka topic " + topic + ", partition "));
    assertThat(reasons).contains("the record is not JSON", "the record has no value");
  }

  @Override
  protected void beforeRound(int round) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < FED_PER_ROUND; i++) {
      String id = "fed" + round + "-" + i;
      fed.add(id);
      values.add("{\"card_id\": \"k" + (i % 13) + "\", \"ts\": " + (System.currentTimeMillis() - i)
          + ", \"id\": \"" + id + "\"}");
      if (i % 100 == 0) {
        values.add("not json at all");
        values.add("{\"id\": \"missing its card and time\"}");
        values.add(null);
      }
    }
    Distributed.createTopic(topic, 2);
    Distributed.produce(topic, values);
  }

  @Override
  protected Set<String> fedIds() {
    return fed;
  }

  @AfterEach
  void dropNamespace() {
    Distributed.drop(namespace);
  }
}
