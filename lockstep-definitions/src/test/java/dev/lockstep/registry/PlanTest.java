package dev.lockstep.registry;

import dev.lockstep.testkit.fakes.InMemoryRegistryStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.definition.DefinitionErrors;
import dev.lockstep.definition.RepositoryLoader;
import dev.lockstep.spi.registry.CommitConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Plans against an applied base repository: what changes, and what the usage rule refuses. */
class PlanTest {
  static final String BASE = """
      entities:
        - {name: card, join_keys: [card_id]}
        - {name: user, join_keys: [user_id]}
      sources:
        - name: payments
          format: csv
          path: data/payments.csv
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double, merchant: string, items: long, user_id: string}
        - name: payments_copy
          format: csv
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, merchant: string, amount: double, items: long}
      feature_views:
        - name: card_txn
          source: payments
          features:
            - {name: txn_count_1h, aggregation: count, window: 1h}
            - {name: amount_p95, aggregation: approx_percentile, column: amount, quantile: 0.95, window: 1d}
            - {name: last_amounts, aggregation: last_k, column: amount, k: 3, window: lifetime}
            - {name: last_merchant, latest: merchant, ttl: 7d}
            - {name: amount_sum_1d, aggregation: sum, column: amount, window: 1d}
            - {name: unused, aggregation: max, column: amount, window: 30d}
      on_demand_views:
        - {name: ratios, class: RATIO, inputs: [card_txn:amount_sum_1d], outputs: {r: double}}
      feature_services:
        - name: fraud_model
          features: [card_txn:txn_count_1h, card_txn:amount_p95, card_txn:last_amounts,
                     card_txn:last_merchant, ratios:r]
      """.replace("RATIO", Examples.Ratio.class.getName());
  static final String HINT_TAIL = " as it is)";

  @TempDir Path dir;
  private InMemoryRegistryStore store;
  private Registry registry;

  @BeforeEach
  void applyTheBase() throws IOException {
    store = new InMemoryRegistryStore();
    registry = new Registry(store);
    registry.apply(registry.plan(load(BASE)));
  }

  static Stream<Arguments> meaningChanges() {
    return Stream.of(
        refused("aggregation", "{name: txn_count_1h, aggregation: count, window: 1h}",
            "{name: txn_count_1h, aggregation: count_non_null, column: items, window: 1h}",
            "txn_count_1h", 1, "aggregation count -> count_non_null, column none -> items, column"
                + " type none -> long"),
        refused("window", "{name: txn_count_1h, aggregation: count, window: 1h}",
            "{name: txn_count_1h, aggregation: count, window: 2h}", "txn_count_1h", 1,
            "window 1h -> 2h, hop 1m -> 5m"),
        refused("hop", "{name: txn_count_1h, aggregation: count, window: 1h}",
            "{name: txn_count_1h, aggregation: count, window: 1h, hop: 5m}", "txn_count_1h", 1,
            "hop 1m -> 5m"),
        refused("quantile", "quantile: 0.95", "quantile: 0.99", "amount_p95", 1,
            "quantile 0.95 -> 0.99"),
        refused("column", "column: amount, quantile", "column: items, quantile", "amount_p95", 1,
            "column amount -> items, column type double -> long"),
        refused("k", "k: 3", "k: 4", "last_amounts", 1, "k 3 -> 4"),
        refused("ttl", "ttl: 7d", "ttl: 1d", "last_merchant", 1, "ttl 7d -> 1d"),
        refused("ttl removed", ", ttl: 7d", "", "last_merchant", 1, "ttl 7d -> none"),
        refused("latest column", "latest: merchant", "latest: card_id", "last_merchant", 1,
            "latest merchant -> card_id"),
        refused("view source", "source: payments\n", "source: payments_copy\n", "txn_count_1h", 5,
            "view source payments -> payments_copy"),
        refused("filter", "source: payments\n", "source: payments\n    filter: amount > 0\n",
            "last_merchant", 5, "view filter none -> 'amount > 0'"),
        refused("max_lateness", "source: payments\n", "source: payments\n    max_lateness: 1h\n",
            "amount_p95", 5, "view max_lateness none -> 1h"),
        // 3 features and the offline table, which cannot convert the column
        refused("column type", "amount: double, merchant: string, items", "amount: long,"
                + " merchant: string, items", "amount_p95", 4, "column type double -> long"),
        refused("source entity and keys", "entity: card\n    keys: [card_id]\n    event_time: ts\n"
                + "    columns: {card_id: string, amount",
            "entity: user\n    keys: [user_id]\n    event_time: ts\n"
                + "    columns: {card_id: string, amount", "txn_count_1h", 6, // 5 and the table's keys
            "source entity card -> user, source keys [card_id] -> [user_id]"),
        refused("event time", "event_time: ts\n    columns: {card_id: string, amount",
            "event_time: created\n    columns: {card_id: string, amount", "txn_count_1h", 5,
            "source event_time ts -> created"),
        refused("ingest time", "event_time: ts\n    columns: {card_id: string, amount",
            "event_time: ts\n    ingest_time: received\n    columns: {card_id: string, amount",
            "txn_count_1h", 5, "source ingest_time none -> received"),
        refused("zone", "event_time: ts\n    columns: {card_id: string, amount",
            "event_time: ts\n    zone: UTC\n    columns: {card_id: string, amount",
            "txn_count_1h", 5, "source zone none -> UTC"),
        refused("input of an on-demand view a service uses", "column: amount, window: 1d",
            "column: items, window: 1d", "amount_sum_1d", 1,
            "column amount -> items, column type double -> long"));
  }

  private static Arguments refused(String what, String find, String replace, String feature,
      int refusals, String differences) {
    return Arguments.of(what, find, replace, feature, refusals, differences);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("meaningChanges")
  void changingTheMeaningOfAUsedVersionIsRefused(String what, String find, String replace,
      String feature, int refusals, String differences) throws IOException {
    assertThat(BASE).contains(find);
    Plan plan = registry.plan(load(BASE.replace(find, replace)));

    assertThat(plan.refusals()).hasSize(refusals);
    assertThat(plan.refusals()).contains("Cannot change feature card_txn:" + feature
        + ": feature service fraud_model uses it, and this would change its " + differences
        + " (declare the new meaning as a new version, " + feature + "@v2, and keep " + feature
        + HINT_TAIL);
    assertThatThrownBy(() -> registry.apply(plan))
        .isExactlyInstanceOf(ChangeRefusedException.class)
        .hasMessageStartingWith("Cannot apply the plan against registry version 1: " + refusals
            + (refusals == 1 ? " change is" : " changes are") + " refused (declare changed"
            + " meanings as new versions, then plan again)\nCannot ");
    assertThat(store.commits()).isEqualTo(1);
  }

  @Test
  void whatIsNotMeaningIsAllowed() throws IOException {
    Plan plan = registry.plan(load(BASE
        .replace("path: data/payments.csv", "path: data/2024/payments.csv")
        .replace("user_id: string}", "user_id: string, risk: double}")
        .replace("{name: unused, aggregation: max, column: amount, window: 30d}",
            "{name: unused, aggregation: min, column: amount, window: 30d}")
        .replace("- {name: card, join_keys: [card_id]}",
            "- {name: card, join_keys: [card_id], description: A card.}")));

    assertThat(plan.refusals()).isEmpty();
    assertThat(plan.render()).isEqualTo("""
        Registry version 1 -> 2:
          ~ entity card description none -> 'A card.'
          ~ source payments path data/payments.csv -> data/2024/payments.csv
          ~ source payments adds column risk double
          ~ feature card_txn:unused aggregation max -> min
        Plan: 0 to add, 3 to change, 0 to remove.
        """);
    assertThat(registry.apply(plan).version()).isEqualTo(2);
  }

  @Test
  void freshnessIsNotMeaningButMaxLatenessIs() throws IOException {
    String fresh = BASE.replace("source: payments\n", "source: payments\n    freshness: 10m\n");
    Plan plan = registry.plan(load(fresh));

    assertThat(plan.refusals()).isEmpty();
    assertThat(plan.render()).isEqualTo("""
        Registry version 1 -> 2:
          ~ feature_view card_txn freshness none -> 10m
        Plan: 0 to add, 1 to change, 0 to remove.
        """);
    registry.apply(plan);

    Plan later = registry.plan(load(fresh.replace("freshness: 10m", "freshness: 1m")
        .replace("freshness: 1m\n", "freshness: 1m\n    max_lateness: 2h\n")));
    assertThat(later.changes()).extracting(Change::toString).containsExactly(
        "~ feature_view card_txn freshness 10m -> 1m",
        "~ feature_view card_txn max_lateness none -> 2h");
    assertThat(later.refusals()).hasSize(5).contains("Cannot change feature card_txn:txn_count_1h:"
        + " feature service fraud_model uses it, and this would change its view max_lateness none"
        + " -> 2h (declare the new meaning as a new version, txn_count_1h@v2, and keep"
        + " txn_count_1h" + HINT_TAIL);
  }

  @Test
  void aNewMeaningAsANewVersionRepinsTheServiceAndKeepsTheOldOne() throws IOException {
    Plan plan = registry.plan(load(BASE.replace(
        "- {name: txn_count_1h, aggregation: count, window: 1h}",
        "- {name: txn_count_1h, aggregation: count, window: 1h}\n"
            + "      - {name: txn_count_1h@v2, aggregation: count, window: 2h}")));

    assertThat(plan.refusals()).isEmpty();
    assertThat(plan.render()).isEqualTo("""
        Registry version 1 -> 2:
          + feature card_txn:txn_count_1h@v2 count() over 2h/5m
          ~ feature_service fraud_model adds card_txn:txn_count_1h@v2
          ~ feature_service fraud_model drops card_txn:txn_count_1h@v1
        Plan: 1 to add, 1 to change, 0 to remove.
        """);
    RegistryDocument applied = registry.apply(plan);
    assertThat(applied.repository().featureView("card_txn").orElseThrow()
        .feature("txn_count_1h", 1)).isPresent();
  }

  @Test
  void removingAUsedVersionIsRefusedUntilNoServiceUsesIt() throws IOException {
    String withoutFeature = BASE.replace("card_txn:txn_count_1h, ", "")
        .replace("      - {name: txn_count_1h, aggregation: count, window: 1h}\n", "");
    Plan direct = registry.plan(load(withoutFeature));
    assertThat(direct.refusals()).containsExactly("Cannot remove feature card_txn:txn_count_1h:"
        + " feature service fraud_model uses it (keep it in view 'card_txn'; to retire it, first"
        + " apply the services without it)");

    registry.apply(registry.plan(load(BASE.replace("card_txn:txn_count_1h, ", ""))));
    Plan later = registry.plan(load(withoutFeature));
    assertThat(later.refusals()).isEmpty();
    assertThat(later.changes()).extracting(Change::toString)
        .containsExactly("- feature card_txn:txn_count_1h");
  }

  @Test
  void removingAUsedOnDemandOutputIsRefused() throws IOException {
    Plan plan = registry.plan(load(BASE.replace("ratios:r]", "ratios:q]")
        .replace("outputs: {r: double}", "outputs: {q: double}")));
    assertThat(plan.refusals()).containsExactly("Cannot remove output ratios:r of on-demand view"
        + " 'ratios': feature service fraud_model uses it (keep it; to retire it, first apply the"
        + " services without it)");
  }

  @Test
  void anUnchangedRepositoryPlansNothing() throws IOException {
    Plan plan = registry.plan(load(BASE));
    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.render()).isEqualTo("No changes: registry version 1 matches the definitions.\n");
    assertThat(registry.apply(plan).version()).isEqualTo(1);
    assertThat(store.commits()).isEqualTo(1);
  }

  @Test
  void aPlanGoesStaleWhenAnotherVersionIsCommitted() throws IOException {
    String unused = "      - {name: unused, aggregation: max, column: amount, window: 30d}\n";
    Plan stale = registry.plan(load(BASE.replace(unused,
        unused + "      - {name: extra, aggregation: count, window: 1d}\n")));
    Plan empty = registry.plan(load(BASE));
    registry.apply(registry.plan(load(BASE.replace(unused,
        unused + "      - {name: other, aggregation: count, window: 2d}\n"))));

    assertThatThrownBy(() -> registry.apply(stale))
        .isExactlyInstanceOf(CommitConflictException.class)
        .hasMessage("Cannot commit registry change planned against version 1: version 2 was"
            + " committed at 2024-05-01T10:00:01Z by another writer (re-run plan, then apply)");
    assertThatThrownBy(() -> registry.apply(empty))
        .isExactlyInstanceOf(CommitConflictException.class);
  }

  @Test
  void theFirstPlanAddsEverything() throws IOException {
    Registry fresh = new Registry(new InMemoryRegistryStore());
    Plan plan = fresh.plan(load("""
        entities: [{name: card, join_keys: [card_id]}]
        sources: [{name: s, format: csv, entity: card, keys: [card_id], event_time: ts,
                   columns: {card_id: string, amount: double}}]
        feature_views:
          - {name: v, source: s, features: [{name: m, aggregation: mean, column: amount, window: 1h}]}
        feature_services: [{name: svc, features: ['v:m']}]
        """));
    assertThat(plan.baseVersion()).isZero();
    assertThat(plan.render()).isEqualTo("""
        Registry empty -> version 1:
          + entity card
          + source s
          + feature_view v
          + feature v:m mean(amount) over 1h/1m
          + feature_service svc
        Plan: 5 to add, 0 to change, 0 to remove.
        """);
    assertThat(fresh.apply(plan).version()).isEqualTo(1);
    assertThat(fresh.current().orElseThrow().repository().featureService("svc").orElseThrow()
        .features().get(0).version()).contains(1);
  }

  @Test
  void anInvalidRepositoryIsNotPlanned() {
    FeatureRepository invalid = FeatureRepository.builder()
        .featureService(dev.lockstep.api.definition.FeatureService.of("svc", "v:m")).build();
    assertThatThrownBy(() -> registry.plan(invalid))
        .isExactlyInstanceOf(DefinitionErrors.class)
        .hasMessage("<java>: Cannot resolve feature 'v:m' of feature service 'svc': there is no"
            + " feature view or on-demand view 'v'");
  }

  private FeatureRepository load(String yaml) throws IOException {
    Path repository = Files.createTempDirectory(dir, "repo");
    Files.writeString(repository.resolve("repo.yaml"), yaml);
    return RepositoryLoader.load(repository).repository();
  }
}
