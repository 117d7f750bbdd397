package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Lockstep;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis keys of view states expire with the view's features: a state untouched for the longest
 * window plus hop (or latest-value TTL) plus a day of grace gives no feature a value any more, so
 * Redis drops it; views with a lifetime window keep theirs.
 */
class RedisStateExpiryTest {
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: events
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, merchant: string}
      feature_views:
        - name: recent
          source: events
          features:
            - {name: count_5m, aggregation: count, window: 5m}
            - {name: last_merchant, latest: merchant, ttl: 2h}
        - name: ever
          source: events
          features:
            - {name: count_ever, aggregation: count, window: lifetime}
      """;

  @TempDir Path repo;
  private final String namespace = Distributed.namespace();

  @Test
  void statesExpireAfterWhatTheirFeaturesCanStillRead() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Distributed.writeConfig(repo, namespace, "");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.online().startStreaming();
      lockstep.online().client().push("events", List.of(Map.<String, Object>of("card_id", "c1",
          "ts", System.currentTimeMillis() - 1_000, "merchant", "m1")));
      lockstep.online().awaitApplied(Duration.ofSeconds(30));
    }
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      List<String> recent = Distributed.redisKeys(namespace + ":v:*:recent");
      List<String> ever = Distributed.redisKeys(namespace + ":v:*:ever");
      assertThat(recent).hasSize(1);
      assertThat(ever).hasSize(1);
      // the 2 h latest-value TTL is the longest (the 5 m window has a 1 m hop), plus a day
      long expected = Duration.ofHours(2).plusDays(1).toMillis();
      assertThat(redis.pttl(recent.get(0))).isBetween(expected - 60_000, expected);
      assertThat(redis.pttl(ever.get(0))).as("a lifetime window never expires").isEqualTo(-1L);
    } finally {
      client.shutdown();
    }
  }

  @AfterEach
  void dropNamespace() {
    Distributed.drop(namespace);
  }
}
