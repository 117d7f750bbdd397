package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.LockstepException;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.lineage.Direction;
import dev.lockstep.core.lineage.LineageEdge;
import dev.lockstep.core.lineage.LineageGraph;
import dev.lockstep.core.lineage.LineageResult;
import dev.lockstep.core.lineage.TrainingSetRecord;
import dev.lockstep.core.lineage.TrainingSets;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetManifest;
import dev.lockstep.core.training.TrainingSetOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lineage graph of a real applied repository (the fraud example plus a refunds source whose view
 * has the source's name), and of the training sets really built from it; and {@code lockstep
 * lineage}'s output.
 */
class LineageTest {
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: csv
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double, merchant: string}
        - name: refunds
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
            - {name: amount_sum_7d, aggregation: sum, column: amount, window: 7d}
            - {name: amount_sum_30d, aggregation: sum, column: amount, window: 30d}
        - name: refunds
          source: refunds
          features:
            - {name: refund_count_30d, aggregation: count, window: 30d}
      on_demand_views:
        - name: card_ratios
          class: dev.lockstep.cli.examples.SpendRatio
          inputs: [card_txn:amount_sum_7d, card_txn:amount_sum_30d]
          outputs: {spend_ratio_7d_30d: double}
      feature_services:
        - name: fraud_model
          features: [card_txn:txn_count_1h, card_ratios:spend_ratio_7d_30d, refunds:refund_count_30d]
        - name: payments_only
          features: [card_txn:txn_count_1h]
      """;

  @TempDir Path repo;

  @BeforeEach
  void apply() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Files.writeString(repo.resolve("payments.csv"), """
        card_id,ts,amount,merchant
        c1,2026-01-01T10:00:00Z,5.0,m1
        c2,2026-01-01T10:30:00Z,7.0,m2
        """);
    Files.writeString(repo.resolve("refunds.csv"), "card_id,ts,amount\nc1,2026-01-01T10:40:00Z,5.0\n");
    Files.writeString(repo.resolve("spine.csv"), "card_id,ts\nc1,2026-01-01T11:00:00Z\nc2,2026-01-01T11:00:00Z\n");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.ingest("payments", repo.resolve("payments.csv"));
      lockstep.ingest("refunds", repo.resolve("refunds.csv"));
    }
  }

  @Test
  void upstreamOfAServiceReachesItsViewsOnDemandViewsAndSources() {
    try (Lockstep lockstep = Lockstep.open(repo)) {
      LineageResult result = lockstep.lineage().query("fraud_model", Direction.UPSTREAM);
      assertThat(result.node().id()).isEqualTo("feature_service:fraud_model");
      assertThat(result.upstream()).map(LineageEdge::toString).containsExactly(
          "feature_view:card_txn -> feature_service:fraud_model",
          "on_demand_view:card_ratios -> feature_service:fraud_model",
          "feature_view:refunds -> feature_service:fraud_model",
          "source:payments -> feature_view:card_txn",
          "feature_view:card_txn -> on_demand_view:card_ratios",
          "source:refunds -> feature_view:refunds");
      assertThat(result.downstream()).isEmpty();
      assertThat(result.parents(result.node()).stream().map(node -> node.id()))
          .containsExactly("feature_view:card_txn", "on_demand_view:card_ratios", "feature_view:refunds");
    }
  }

  @Test
  void downstreamOfASourceReachesViewsOnDemandViewsAndServices() {
    try (Lockstep lockstep = Lockstep.open(repo)) {
      LineageResult result = lockstep.lineage().query("payments", Direction.DOWNSTREAM);
      assertThat(result.upstream()).isEmpty();
      assertThat(result.downstream()).map(LineageEdge::toString).containsExactly(
          "source:payments -> feature_view:card_txn",
          "feature_view:card_txn -> on_demand_view:card_ratios",
          "feature_view:card_txn -> feature_service:fraud_model",
          "feature_view:card_txn -> feature_service:payments_only",
          "on_demand_view:card_ratios -> feature_service:fraud_model");
    }
  }

  @Test
  void bothDirectionsOfAnOnDemandView() {
    try (Lockstep lockstep = Lockstep.open(repo)) {
      LineageResult result = lockstep.lineage().query("card_ratios", Direction.BOTH);
      assertThat(result.upstream()).map(LineageEdge::toString).containsExactly(
          "feature_view:card_txn -> on_demand_view:card_ratios", "source:payments -> feature_view:card_txn");
      assertThat(result.downstream()).map(LineageEdge::toString).containsExactly(
          "on_demand_view:card_ratios -> feature_service:fraud_model");
    }
  }

  @Test
  void trainingSetsAppearDownstreamOnceBuiltAndARetryRecordsThemOnce() throws Exception {
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(TrainingSets.list(lockstep.offlineStore())).isEmpty();
      assertThat(TrainingSets.newest(lockstep.offlineStore(), "fraud_model")).isEmpty();
      TrainingSetManifest first = lockstep.trainingSet(
          TrainingSetOptions.forService("fraud_model", repo.resolve("spine.csv"), repo.resolve("out/train_q3")),
          TrainingSetListener.QUIET);
      Thread.sleep(5); // a later created_at
      lockstep.trainingSet(
          TrainingSetOptions.forService("fraud_model", repo.resolve("spine.csv"), repo.resolve("out/train_q4")),
          TrainingSetListener.QUIET);
      // recording the same build again (a retry) appends nothing
      TrainingSets.record(lockstep.offlineStore(), first, repo.resolve("out/train_q3"), java.time.Clock.systemUTC());

      List<TrainingSetRecord> records = TrainingSets.list(lockstep.offlineStore());
      assertThat(records).map(TrainingSetRecord::name).containsExactly("train_q3", "train_q4");
      TrainingSetRecord q3 = records.get(0);
      assertThat(q3.path()).isEqualTo(repo.resolve("out/train_q3").toAbsolutePath().normalize());
      assertThat(q3.service()).isEqualTo("fraud_model");
      assertThat(q3.registryVersion()).isEqualTo(1);
      assertThat(q3.rows()).isEqualTo(2);
      assertThat(q3.mode()).isEqualTo("EVENT_TIME");
      assertThat(q3.createdAt().toString()).isEqualTo(first.createdAt());
      assertThat(TrainingSets.newest(lockstep.offlineStore(), "fraud_model")).contains(records.get(1));
      assertThat(TrainingSets.newest(lockstep.offlineStore(), "payments_only")).isEmpty();

      LineageGraph graph = lockstep.lineage();
      assertThat(graph.query("payments", Direction.DOWNSTREAM).downstream()).map(LineageEdge::toString).contains(
          "feature_service:fraud_model -> training_set:train_q3",
          "feature_service:fraud_model -> training_set:train_q4");
      LineageResult trainQ3 = graph.query("training_set:train_q3", Direction.UPSTREAM);
      assertThat(trainQ3.upstream()).map(LineageEdge::toString).startsWith(
          "feature_service:fraud_model -> training_set:train_q3");
      assertThat(trainQ3.node().attributes()).containsEntry("rows", 2L).containsEntry("registry_version", 1L);
    }
  }

  @Test
  void ambiguousAndUnknownNamesGetOneLineSayingWhatToWrite() {
    try (Lockstep lockstep = Lockstep.open(repo)) {
      LineageGraph graph = lockstep.lineage();
      assertThatThrownBy(() -> graph.query("refunds", Direction.BOTH))
          .isInstanceOf(LockstepException.class)
          .hasMessage("Cannot show the lineage of 'refunds': it names a source and a feature_view"
              + " (write source:refunds or feature_view:refunds)");
      assertThat(graph.query("source:refunds", Direction.BOTH).node().id()).isEqualTo("source:refunds");
      assertThat(graph.query("view:refunds", Direction.BOTH).node().id()).isEqualTo("feature_view:refunds");
      assertThat(graph.query("service:fraud_model", Direction.BOTH).node().id()).isEqualTo("feature_service:fraud_model");
      assertThatThrownBy(() -> graph.query("fraud_modle", Direction.BOTH))
          .hasMessage("Cannot show the lineage of 'fraud_modle': no source, feature view, on-demand view,"
              + " feature service or training set in registry version 1 has that name (did you mean 'fraud_model'?)");
      assertThatThrownBy(() -> graph.query("churn", Direction.BOTH))
          .hasMessage("Cannot show the lineage of 'churn': no source, feature view, on-demand view,"
              + " feature service or training set in registry version 1 has that name (lockstep plan lists what is applied)");
      assertThatThrownBy(() -> graph.query("view:card_tx", Direction.BOTH))
          .hasMessage("Cannot show the lineage of 'view:card_tx': there is no feature_view 'card_tx' in registry"
              + " version 1 (did you mean 'feature_view:card_txn'?)");
      assertThatThrownBy(() -> graph.query("table:payments", Direction.BOTH))
          .hasMessage("Cannot show the lineage of 'table:payments': 'table' is not a kind (use source, feature_view,"
              + " view, on_demand_view, on_demand, feature_service, service, training_set)");
    }
  }

  @Test
  void theCommandPrintsAnIndentedTree() throws Exception {
    TrainingSetRecord built;
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.trainingSet(
          TrainingSetOptions.forService("fraud_model", repo.resolve("spine.csv"), repo.resolve("out/train_q3")),
          TrainingSetListener.QUIET);
      built = TrainingSets.list(lockstep.offlineStore()).get(0);
    }
    Cli.Result service = Cli.run("-C", repo.toString(), "lineage", "fraud_model");
    assertThat(service.exitCode()).isZero();
    assertThat(service.out()).isEqualTo("""
        feature_service fraud_model
          upstream:
            feature_view card_txn
              source payments
            on_demand_view card_ratios
              feature_view card_txn (see above)
            feature_view refunds
              source refunds
          downstream:
            training_set train_q3 (%s, registry v1, %s, 2 rows)
        """.formatted(built.path(), built.createdAt()));

    Cli.Result source = Cli.run("-C", repo.toString(), "lineage", "source:payments");
    assertThat(source.out()).isEqualTo("""
        source payments
          upstream: none
          downstream:
            feature_view card_txn
              on_demand_view card_ratios
                feature_service fraud_model
                  training_set train_q3 (%s, registry v1, %s, 2 rows)
              feature_service fraud_model (see above)
              feature_service payments_only
        """.formatted(built.path(), built.createdAt()));

    assertThat(Cli.run("-C", repo.toString(), "lineage", "card_ratios", "--upstream").out()).isEqualTo("""
        on_demand_view card_ratios
          upstream:
            feature_view card_txn
              source payments
        """);
    assertThat(Cli.run("-C", repo.toString(), "lineage", "payments_only", "--downstream").out()).isEqualTo("""
        feature_service payments_only
          downstream: none
        """);

    Cli.Result ambiguous = Cli.run("-C", repo.toString(), "lineage", "refunds");
    assertThat(ambiguous.exitCode()).isEqualTo(1);
    assertThat(ambiguous.err()).isEqualTo("lockstep: Cannot show the lineage of 'refunds': it names a source and a"
        + " feature_view (write source:refunds or feature_view:refunds)" + System.lineSeparator());
  }

  @Test
  void jsonGivesNodesAndEdges() throws Exception {
    Cli.Result result = Cli.run("-C", repo.toString(), "lineage", "card_ratios", "--json");
    assertThat(result.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("node").get("id").asText()).isEqualTo("on_demand_view:card_ratios");
    assertThat(json.get("direction").asText()).isEqualTo("both");
    assertThat(json.get("nodes")).map(node -> node.get("id").asText()).containsExactly(
        "on_demand_view:card_ratios", "feature_view:card_txn", "source:payments", "feature_service:fraud_model");
    assertThat(json.get("upstream").get(0).get("from").asText()).isEqualTo("feature_view:card_txn");
    assertThat(json.get("upstream").get(0).get("to").asText()).isEqualTo("on_demand_view:card_ratios");
    assertThat(json.get("downstream")).hasSize(1);
  }
}
