package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart, unchanged, on Kafka (event log), Redis (online store) and PostgreSQL (registry),
 * selected by a lockstep.yaml given with {@code --config}: every step passes and every vector
 * served over HTTP while events streamed through Kafka is rebuilt exactly offline.
 */
class DistributedQuickstartTest {
  @TempDir Path dir;
  private final String namespace = Distributed.namespace();

  @Test
  void theWholeLoopRunsOnKafkaRedisAndPostgres() throws Exception {
    Path config = dir.resolve("distributed.yaml");
    Files.writeString(config, Distributed.config(namespace, ""));
    Cli.Result result = Cli.run("quickstart", "--dir", dir.resolve("project").toString(), "--events", "50000",
        "--live-events", "1000", "--config", config.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("## Load the online store (redis) from the offline store")
        .contains("Online store: redis, event log: kafka")
        .containsPattern("replay fraud_model: \\d+ vectors, [\\d,]+ feature values, 0 mismatches");
    assertThat(dir.resolve("project/.lockstep/online")).doesNotExist();
    assertThat(dir.resolve("project/.lockstep/log")).doesNotExist();
    assertThat(dir.resolve("project/.lockstep/registry")).doesNotExist();
  }

  @AfterEach
  void dropNamespace() {
    Distributed.drop(namespace);
  }
}
