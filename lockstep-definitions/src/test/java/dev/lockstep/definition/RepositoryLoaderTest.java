package dev.lockstep.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.api.definition.WindowedFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryLoaderTest {
  private static final Path FRAUD = Path.of("../examples/fraud");

  @TempDir Path dir;

  @Test
  void readsTheFraudExample() {
    LoadedRepository loaded = RepositoryLoader.load(FRAUD, getClass().getClassLoader(), false);
    FeatureRepository repository = loaded.repository();

    assertThat(loaded.files()).extracting(file -> file.getFileName().toString())
        .containsExactly("card.yaml", "contracts.yaml", "features.yaml", "services.yaml");
    assertThat(repository.contract("payments").orElseThrow().rules()).extracting(QualityRule::id)
        .containsExactly("not_null(card_id)", "pattern(card_id)", "range(amount)", "range(items)");
    Source payments = repository.source("payments").orElseThrow();
    assertThat(payments.format()).isEqualTo(SourceFormat.CSV);
    assertThat(payments.path()).isEqualTo("data/payments.csv");
    assertThat(payments.keyColumns()).containsExactly("card_id");
    assertThat(payments.eventTimeColumn()).isEqualTo("ts");
    assertThat(payments.columns()).containsExactly(
        SourceColumn.of("card_id", ValueType.STRING), SourceColumn.of("amount", ValueType.DOUBLE),
        SourceColumn.of("merchant", ValueType.STRING), SourceColumn.of("items", ValueType.LONG));
    FeatureView view = repository.featureView("card_txn").orElseThrow();
    assertThat(view.feature("amount_sum_7d", 1)).contains(WindowedFeature.of("amount_sum_7d",
        Aggregation.sum("amount"), Window.sliding(Duration.ofDays(7))));
    assertThat(view.feature("last_merchant", 1))
        .contains(LatestFeature.of("last_merchant", "merchant", Duration.ofDays(30)));
    OnDemandFeatureView ratios = repository.onDemandView("card_ratios").orElseThrow();
    assertThat(ratios.className()).isEqualTo("dev.lockstep.cli.examples.SpendRatio");
    assertThat(ratios.outputs()).containsExactly(
        SourceColumn.of("spend_ratio_7d_30d", ValueType.DOUBLE));
    assertThat(repository.featureService("fraud_model").orElseThrow().features())
        .extracting(FeatureReference::toString)
        .contains("card_txn:txn_count_5m", "card_ratios:spend_ratio_7d_30d");
    assertThat(loaded.location(payments))
        .isEqualTo(new Location(FRAUD.resolve("card.yaml").toString(), 9));
    assertThat(loaded.location(payments, "columns.amount").line()).isEqualTo(17);
  }

  @Test
  void readsEveryShapeOfTheReference() throws IOException {
    write("defs/all.yml", """
        entities: [{name: card, join_keys: [card_id]}]
        sources:
          - name: payments
            format: jsonl
            entity: card
            keys: [card_id]
            event_time: ts
            zone: Europe/Paris
            ingest_time: received_at
            columns: {card_id: string, amount: double, merchant: string}
        feature_views:
          - name: card_txn
            source: payments
            filter: "amount > 0"
            ttl: 30d
            freshness: 10m
            max_lateness: PT1H
            features:
              - {name: amount_mean_1h, aggregation: mean, column: amount, window: 1h, hop: 1m}
              - {name: last_amounts, aggregation: last_k, k: 5, column: amount, window: lifetime}
              - {name: amount_p95_7d, aggregation: approx_percentile, quantile: 0.95, column: amount, window: PT168H}
              - {name: txn_count_1h@v2, aggregation: count, window: 1h, hop: 5m}
              - {name: txn_count_1h, aggregation: count, window: 90m}
              - {name: last_merchant, latest: merchant}
              - {name: last_amount, latest: amount, ttl: 7d}
        """);
    write("data/ignored.yaml", "this: is not read");
    write(".hidden/ignored.yaml", "nor: this");
    write("lockstep.yaml", "registry: {backend: file}");

    LoadedRepository loaded = RepositoryLoader.load(dir, getClass().getClassLoader());

    Source payments = loaded.repository().source("payments").orElseThrow();
    assertThat(payments.zone()).contains(ZoneId.of("Europe/Paris"));
    assertThat(payments.ingestTimeColumn()).contains("received_at");
    assertThat(payments.path()).isEmpty();
    FeatureView view = loaded.repository().featureView("card_txn").orElseThrow();
    assertThat(view.filter()).contains("amount > 0");
    assertThat(view.freshness()).contains(Duration.ofMinutes(10));
    assertThat(view.maxLateness()).contains(Duration.ofHours(1));
    assertThat(view.features()).containsExactly(
        WindowedFeature.of("amount_mean_1h", Aggregation.mean("amount"),
            Window.sliding(Duration.ofHours(1), Duration.ofMinutes(1))),
        WindowedFeature.of("last_amounts", Aggregation.lastK("amount", 5), Window.lifetime()),
        WindowedFeature.of("amount_p95_7d", Aggregation.approxPercentile("amount", 0.95),
            Window.sliding(Duration.ofDays(7))),
        new WindowedFeature("txn_count_1h", 2, Aggregation.count(),
            Window.sliding(Duration.ofHours(1), Duration.ofMinutes(5))),
        WindowedFeature.of("txn_count_1h", Aggregation.count(),
            Window.sliding(Duration.ofMinutes(90))),
        new LatestFeature("last_merchant", 1, "merchant", Optional.of(Duration.ofDays(30))),
        new LatestFeature("last_amount", 1, "amount", Optional.of(Duration.ofDays(7))));
    assertThat(loaded.location(view.features().get(3), "hop").line()).isEqualTo(22);
    assertThat(loaded.location(view, "max_lateness").line()).isEqualTo(17);
    assertThat(loaded.location(view.features().get(5), "ttl").line()).isEqualTo(15);
    assertThat(loaded.location(view.features().get(6), "ttl").line()).isEqualTo(25);
    assertThat(loaded.files()).containsExactly(dir.resolve("defs/all.yml"));
  }

  @Test
  void aDirectoryWithoutDefinitionsIsRefused() throws IOException {
    write("data/x.yaml", "entities: []");
    assertThatThrownBy(() -> RepositoryLoader.load(dir))
        .isExactlyInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot load feature repository '" + dir
            + "': it holds no .yaml or .yml file (point at the directory of your definitions)");
    assertThatThrownBy(() -> RepositoryLoader.load(dir.resolve("missing")))
        .hasMessage("Cannot load feature repository '" + dir.resolve("missing")
            + "': it is not a directory (give the directory that holds the definition files)");
  }

  @Test
  void severalDocumentsAndFilesMakeOneRepository() throws IOException {
    write("b.yaml", "feature_services: [{name: svc, features: ['v:count']}]\n");
    write("a.yaml", """
        entities: [{name: card, join_keys: [card_id]}]
        ---
        sources: [{name: s, format: csv, entity: card, keys: [card_id], event_time: ts,
                   columns: {card_id: string}}]
        feature_views: [{name: v, source: s, features: [{name: count, aggregation: count, window: 1d}]}]
        """);
    LoadedRepository loaded = RepositoryLoader.load(dir);
    assertThat(loaded.files()).containsExactly(dir.resolve("a.yaml"), dir.resolve("b.yaml"));
    assertThat(loaded.repository().featureService("svc")).isPresent();
    assertThat(loaded.location(loaded.repository().source("s").orElseThrow()).line())
        .isEqualTo(3);
  }

  @Test
  void theJavaBuildersAndYamlGiveEqualRepositories() {
    FeatureRepository java = FeatureRepository.builder()
        .entity(dev.lockstep.api.definition.Entity.of("card", "card_id"))
        .build();
    FeatureRepository yaml = loadText("entities: [{name: card, join_keys: [card_id]}]");
    assertThat(yaml).isEqualTo(java);
  }

  private FeatureRepository loadText(String text) {
    try {
      write("repo.yaml", text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return RepositoryLoader.load(dir).repository();
  }

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  static List<String> lines(DefinitionErrors errors) {
    return errors.problems().stream().map(DefinitionProblem::toString).toList();
  }
}
