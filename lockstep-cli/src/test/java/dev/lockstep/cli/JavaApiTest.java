package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import dev.lockstep.core.Lockstep;
import dev.lockstep.definition.DefinitionErrors;
import dev.lockstep.core.ingest.IngestResult;
import dev.lockstep.core.internal.Digests;
import dev.lockstep.registry.Plan;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetManifest;
import dev.lockstep.core.training.TrainingSetOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same loop as the command, through the Java API: apply, ingest, build, rebuild. */
class JavaApiTest {
  static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: csv
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double}
      feature_views:
        - name: card_txn
          source: payments
          features:
            - {name: txn_count_1h, aggregation: count, window: 1h}
            - {name: amount_sum_1h, aggregation: sum, column: amount, window: 1h}
      feature_services:
        - {name: fraud, features: [card_txn:txn_count_1h, card_txn:amount_sum_1h]}
      """;

  @TempDir Path repo;

  @Test
  void aManifestRebuildsTheSameBytesAfterMoreIngests() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Files.writeString(repo.resolve("day1.csv"), """
        card_id,ts,amount
        c1,2026-01-01T10:00:00Z,5.0
        c2,2026-01-01T10:30:00Z,7.0
        c1,2026-01-01T10:45:00Z,1.5
        """);
    Files.writeString(repo.resolve("day1-late.csv"), """
        card_id,ts,amount
        c1,2026-01-01T10:50:00Z,100.0
        """);
    Files.writeString(repo.resolve("spine.csv"), """
        card_id,ts
        c1,2026-01-01T11:00:00Z
        c2,2026-01-01T11:00:00Z
        """);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(lockstep.apply(lockstep.plan())).isEqualTo(1);
      IngestResult first = lockstep.ingest("payments", repo.resolve("day1.csv"));
      assertThat(first.accepted()).isEqualTo(3);
      assertThat(lockstep.ingest("payments", repo.resolve("day1.csv")).duplicate()).isTrue();

      TrainingSetManifest original = lockstep.trainingSet(
          TrainingSetOptions.forService("fraud", repo.resolve("spine.csv"), repo.resolve("v1")), TrainingSetListener.QUIET);
      assertThat(original.snapshots()).containsEntry("payments", first.snapshotId().getAsLong());
      assertThat(original.rows().output()).isEqualTo(2);

      // a late event for c1 changes what a fresh build sees, but not what the manifest pinned
      lockstep.ingest("payments", repo.resolve("day1-late.csv"));
      TrainingSetManifest fresh = lockstep.trainingSet(
          TrainingSetOptions.forService("fraud", repo.resolve("spine.csv"), repo.resolve("v2")), TrainingSetListener.QUIET);
      assertThat(fresh.files()).isNotEqualTo(original.files());
      TrainingSetManifest rebuilt = lockstep.rebuild(
          TrainingSetManifest.read(repo.resolve("v1")), repo.resolve("v1-again"), TrainingSetListener.QUIET);
      assertThat(rebuilt.files()).isEqualTo(original.files());
      assertThat(Digests.sha256(repo.resolve("v1-again/part-00000.parquet")))
          .isEqualTo(Digests.sha256(repo.resolve("v1/part-00000.parquet")));

      Files.writeString(repo.resolve("spine.csv"), "card_id,ts\nc1,2026-01-01T11:00:00Z\n");
      assertThatThrownBy(() -> lockstep.rebuild(
              TrainingSetManifest.read(repo.resolve("v1")), repo.resolve("v1-changed"), TrainingSetListener.QUIET))
          .isInstanceOf(LockstepException.class)
          .hasMessageContaining("the spine " + repo.resolve("spine.csv").toAbsolutePath().normalize() + " changed since it was built");
    }
  }

  @Test
  void changingAUsedFeatureNeedsANewVersion() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      Files.writeString(repo.resolve("features.yaml"),
          DEFINITIONS.replace("{name: txn_count_1h, aggregation: count, window: 1h}",
              "{name: txn_count_1h, aggregation: count, window: 2h}"));
      Plan refused = lockstep.plan();
      assertThat(refused.refusals()).hasSize(1);
      assertThat(refused.refusals().get(0)).contains("card_txn:txn_count_1h").contains("@v2");
      assertThatThrownBy(() -> lockstep.apply(refused)).isInstanceOf(LockstepException.class);

      Files.writeString(repo.resolve("features.yaml"),
          DEFINITIONS.replace("- {name: txn_count_1h, aggregation: count, window: 1h}",
              "- {name: txn_count_1h, aggregation: count, window: 1h}\n      - {name: txn_count_1h@v2, aggregation: count, window: 2h}"));
      assertThat(lockstep.apply(lockstep.plan())).isEqualTo(2);
      assertThat(lockstep.registry().history()).hasSize(2);
    }
  }

  @Test
  void invalidDefinitionsListEveryProblemWithItsLine() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS
        .replace("column: amount, window: 1h", "column: amont, window: 1h")
        .replace("[card_txn:txn_count_1h,", "[card_txn:txn_count_2h,"));
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThatThrownBy(lockstep::plan)
          .isInstanceOf(DefinitionErrors.class)
          .satisfies(error -> {
            List<String> lines = ((DefinitionErrors) error).problems().stream().map(Object::toString).toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith(repo.resolve("features.yaml") + ":15: ").contains("amont").contains("amount");
            assertThat(lines.get(1)).startsWith(repo.resolve("features.yaml") + ":17: ").contains("txn_count_2h");
          });
      assertThat(lockstep.registry().current()).isEmpty();
    }
  }

  @Test
  void aSpineCanBeEveryEventOfASourceInARange() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Files.writeString(repo.resolve("day1.csv"), """
        card_id,ts,amount
        c1,2026-01-01T10:00:00Z,5.0
        c2,2026-01-01T10:30:00Z,7.0
        c1,2026-01-01T10:45:00Z,1.5
        c1,2026-01-02T10:45:00Z,1.5
        """);
    try (Lockstep lockstep = Lockstep.open(repo); DuckDb duckDb = new DuckDb()) {
      lockstep.apply(lockstep.plan());
      lockstep.ingest("payments", repo.resolve("day1.csv"));
      TrainingSetManifest manifest = lockstep.trainingSet(TrainingSetOptions.fromSource("fraud", "payments",
          Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"), repo.resolve("out")),
          TrainingSetListener.QUIET);
      assertThat(manifest.spine().source()).isEqualTo("payments");
      assertThat(duckDb.rows("SELECT card_id, epoch_ms(ts), card_txn__txn_count_1h, card_txn__amount_sum_1h FROM "
              + DuckDb.parquet(repo.resolve("out/part-00000.parquet"))))
          .containsExactly(
              List.of("c1", Instant.parse("2026-01-01T10:00:00Z").toEpochMilli(), 0L, 0.0),
              List.of("c2", Instant.parse("2026-01-01T10:30:00Z").toEpochMilli(), 0L, 0.0),
              List.of("c1", Instant.parse("2026-01-01T10:45:00Z").toEpochMilli(), 1L, 5.0));
    }
  }

  @Test
  void rowsThatDoNotParseGoToQuarantineWithReasonFileAndRow() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Path file = repo.resolve("mixed.csv");
    Files.writeString(file, """
        card_id,ts,amount
        c1,2026-01-01T10:00:00Z,5.0
        ,2026-01-01T10:00:00Z,1.0
        c2,2026-01-01T10:00:00,1.0
        c3,2026-01-01T10:00:00Z,abc
        """);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      IngestResult result = lockstep.ingest("payments", file);
      assertThat(result.accepted()).isEqualTo(1);
      assertThat(result.quarantined()).isEqualTo(3);
      List<List<Object>> quarantined = new java.util.ArrayList<>();
      try (var rows = lockstep.offlineStore().scan("payments__quarantine", dev.lockstep.spi.offline.ScanRequest.latest())) {
        rows.forEachRemaining(row -> quarantined.add(row.values()));
      }
      quarantined.sort(java.util.Comparator.comparing(row -> (Long) row.get(1)));
      assertThat(quarantined).extracting(row -> row.get(0)).containsOnly(file.toString());
      assertThat(quarantined).extracting(row -> row.get(1)).containsExactly(2L, 3L, 4L);
      assertThat(quarantined.get(0).get(2).toString()).contains("card_id");
      assertThat(quarantined.get(1).get(2).toString()).contains("zone");
      assertThat(quarantined.get(2).get(2).toString()).contains("'abc' is not a double");
      assertThat(quarantined.get(2).get(3)).isEqualTo("c3,2026-01-01T10:00:00Z,abc");
      // nothing is lost or doubled by ingesting the same bytes again
      assertThat(lockstep.ingest("payments", file).duplicate()).isTrue();
      try (var rows = lockstep.offlineStore().scan("payments__quarantine", dev.lockstep.spi.offline.ScanRequest.latest())) {
        int count = 0;
        while (rows.hasNext()) {
          rows.next();
          count++;
        }
        assertThat(count).isEqualTo(3);
      }
    }
  }
}
