package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.core.Lockstep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per project on a shared online store: with Redis, a second process that starts
 * streaming while the first runs is refused with a message naming the holder, instead of applying
 * the same events twice; once the first stops, the second starts, and reads what the first wrote.
 */
class WriterLeaseTest {
  @TempDir Path repo;
  @TempDir Path first;
  @TempDir Path second;
  private final String namespace = Distributed.namespace();

  @Test
  void aSecondWriterIsRefusedUntilTheFirstStops() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), StreamingCrashTest.DEFINITIONS);
    Distributed.writeConfig(repo, namespace, "");
    try (Lockstep writer = Lockstep.open(repo, first)) {
      writer.apply(writer.plan());
      writer.online().startStreaming();
      writer.online().client().push("events", List.of(Map.of("card_id", "k1", "ts", System.currentTimeMillis() - 1_000,
          "id", "e1")));
      writer.online().awaitApplied(Duration.ofSeconds(30));

      try (Lockstep other = Lockstep.open(repo, second)) {
        assertThatThrownBy(() -> other.online().startStreaming())
            .isInstanceOf(LockstepException.class)
            .hasMessageStartingWith("Cannot start streaming: another process writes this project's online state in Redis (")
            .hasMessageEndingWith("; run one lockstep serve per project and stop it before lockstep materialize"
                + " (a stopped process's lease lapses within 15 s)");
      }
    }
    try (Lockstep other = Lockstep.open(repo, second)) {
      other.online().startStreaming();
      assertThat(other.online().client().features(FeatureRequest.forService("totals", Map.of("card_id", "k1")))
          .value("totals__events_ever")).as("the first writer's state, read from Redis").isEqualTo(1L);
    }
  }

  @AfterEach
  void dropNamespace() {
    Distributed.drop(namespace);
  }
}
