package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of docs/architecture.md "Semantics" through the lockstep command, with real Iceberg and Parquet, read back
 * with DuckDB. Expected values are worked out by hand from the rules in the comments.
 */
class TrainingSetEdgesTest {
  private static final String DEFINITIONS = """
      entities:
        - name: card
          join_keys: [card_id]
      sources:
        - name: payments
          format: csv
          entity: card
          keys: [card_id]
          event_time: ts
          ingest_time: received_at
          columns: {card_id: string, amount: double, merchant: string}
      feature_views:
        - name: card_txn
          source: payments
          features:
            - {name: txn_count_10m, aggregation: count, window: 10m, hop: 5m}
            - {name: amount_sum_1h, aggregation: sum, column: amount, window: 1h}
            - {name: merchants, aggregation: last_k, k: 2, column: merchant, window: lifetime}
            - {name: last_merchant, latest: merchant, ttl: 30m}
      feature_services:
        - name: fraud
          features: [card_txn:txn_count_10m, card_txn:amount_sum_1h, card_txn:merchants, card_txn:last_merchant]
      """;

  // c1: events at 10:00 (ingested 10:00), two at 10:07 tied on event time (ingest 10:07 and 10:08),
  // and one at 10:20 that arrived late, at 11:00.
  private static final String PAYMENTS = """
      card_id,ts,received_at,amount,merchant
      c1,2026-01-05T10:00:00Z,2026-01-05T10:00:00Z,10.0,m-a
      c1,2026-01-05T10:07:00Z,2026-01-05T10:08:00Z,2.5,m-c
      c1,2026-01-05T10:07:00Z,2026-01-05T10:07:00Z,1.0,m-b
      c1,2026-01-05T10:20:00Z,2026-01-05T11:00:00Z,100.0,m-d
      """;

  private static final String SPINE = """
      card_id,ts,label
      c1,2026-01-05T09:59:59Z,before-first
      c1,2026-01-05T10:00:00Z,at-first
      c1,2026-01-05T10:07:00.001Z,after-tie
      c1,2026-01-05T10:21:00Z,after-late
      zz,2026-01-05T10:21:00Z,unknown-card
      c1,2026-01-05T10:50:00.001Z,ttl-expired
      """;

  @TempDir Path repo;

  @BeforeEach
  void applyAndIngest() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Files.writeString(repo.resolve("payments.csv"), PAYMENTS);
    Files.writeString(repo.resolve("spine.csv"), SPINE);
    assertThat(Cli.run("-C", repo.toString(), "apply").exitCode()).isZero();
    Cli.Result ingest = Cli.run("-C", repo.toString(), "ingest", "payments", repo.resolve("payments.csv").toString());
    assertThat(ingest.exitCode()).isZero();
    assertThat(ingest.out()).contains("4 rows accepted");
  }

  @Test
  void eventTimeModeFollowsTheRulesAtEveryEdge() throws Exception {
    List<List<Object>> rows = build("EVENT_TIME");
    assertThat(rows).extracting(row -> row.get(2)).containsExactly(
        "before-first", "at-first", "after-tie", "after-late", "unknown-card", "ttl-expired");
    // before the first event: nothing; at exactly 10:00 the event at 10:00 is not seen (exclusive head)
    assertThat(rows.get(0).subList(3, 7)).containsExactly(0L, 0.0, List.of(), null);
    assertThat(rows.get(1).subList(3, 7)).containsExactly(0L, 0.0, List.of(), null);
    // just after the tie at 10:07: the tie is ordered by ingest time, so m-c (ingested 10:08) is last
    assertThat(rows.get(2).subList(3, 7)).containsExactly(3L, 13.5, List.of("m-c", "m-b"), "m-c");
    // 10:21: window 10m/5m starts at floor_5m(10:11) = 10:10, so only the 10:20 event
    assertThat(rows.get(3).subList(3, 7)).containsExactly(1L, 113.5, List.of("m-d", "m-c"), "m-d");
    // an entity without events gets the empty-window values
    assertThat(rows.get(4).subList(3, 7)).containsExactly(0L, 0.0, List.of(), null);
    // 10:50:00.001 is more than 30 minutes after the latest event (10:20): expired
    assertThat(rows.get(5).subList(3, 7)).containsExactly(0L, 113.5, List.of("m-d", "m-c"), null);
  }

  @Test
  void asOfIngestSeesOnlyWhatHadArrived() throws Exception {
    List<List<Object>> rows = build("AS_OF_INGEST");
    // after the tie at 10:07:00.001 only the event ingested at 10:07 had arrived
    assertThat(rows.get(2).subList(3, 7)).containsExactly(2L, 11.0, List.of("m-b", "m-a"), "m-b");
    // at 10:21 the 10:20 event had not arrived yet (ingested 11:00)
    assertThat(rows.get(3).subList(3, 7)).containsExactly(0L, 13.5, List.of("m-c", "m-b"), "m-c");
  }

  @Test
  void passesSpineColumnsThroughUnchangedAndInOrder() throws Exception {
    List<List<Object>> rows = build("EVENT_TIME");
    List<String> lines = SPINE.lines().skip(1).toList();
    for (int i = 0; i < lines.size(); i++) {
      assertThat(rows.get(i).subList(0, 3)).containsExactly((Object[]) lines.get(i).split(","));
    }
  }

  @Test
  void badInputGetsOneClearLine() throws Exception {
    Cli.Result missingService = Cli.run("-C", repo.toString(), "training-set", "--service", "nope",
        "--spine", repo.resolve("spine.csv").toString(), "--out", repo.resolve("x").toString());
    assertThat(missingService.exitCode()).isEqualTo(1);
    assertThat(missingService.err().strip()).isEqualTo(
        "lockstep: Cannot build a training set: there is no feature service 'nope' (services: [fraud];"
            + " run lockstep apply first?)");
    Files.writeString(repo.resolve("bad-spine.csv"), "card_id,ts\nc1,yesterday\n");
    Cli.Result badSpine = Cli.run("-C", repo.toString(), "training-set", "--service", "fraud", "-q",
        "--spine", repo.resolve("bad-spine.csv").toString(), "--out", repo.resolve("y").toString());
    assertThat(badSpine.exitCode()).isEqualTo(1);
    assertThat(badSpine.err()).startsWith("lockstep: Cannot read spine row 1: column 'ts': ");
  }

  private List<List<Object>> build(String mode) throws Exception {
    Path out = repo.resolve("out-" + mode);
    Cli.Result result = Cli.run("-C", repo.toString(), "training-set", "--service", "fraud", "--mode", mode,
        "--spine", repo.resolve("spine.csv").toString(), "--out", out.toString(), "--quiet");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Wrote 6 rows x 4 features to ");
    try (DuckDb duckDb = new DuckDb()) {
      List<List<Object>> rows = duckDb.rows("SELECT * FROM " + DuckDb.parquet(out.resolve("part-00000.parquet")));
      assertThat(duckDb.rows("SELECT column_name FROM (DESCRIBE SELECT * FROM "
              + DuckDb.parquet(out.resolve("part-00000.parquet")) + ")"))
          .extracting(row -> row.get(0))
          .containsExactly("card_id", "ts", "label", "card_txn__txn_count_10m", "card_txn__amount_sum_1h",
              "card_txn__merchants", "card_txn__last_merchant");
      return rows;
    }
  }

}
