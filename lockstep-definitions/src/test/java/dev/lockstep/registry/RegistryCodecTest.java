package dev.lockstep.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.spi.registry.RegistryVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryCodecTest {
  @TempDir java.nio.file.Path dir;

  /**
   * Every shape the document holds: versions, zone, ingest time, filter, freshness, max lateness,
   * every feature kind.
   */
  static FeatureRepository everything() {
    return FeatureRepository.builder()
        .entity(new Entity("pair", List.of("a", "b"), "two keys"))
        .entity(Entity.of("card", "card_id"))
        .source(Source.builder("payments", SourceFormat.PARQUET).path("s3://bucket/payments")
            .entity("card", "card_id").eventTime("ts").zone(ZoneId.of("Europe/Paris"))
            .ingestTime("received_at").column("card_id", ValueType.STRING)
            .column("amount", ValueType.DOUBLE).column("items", ValueType.LONG).build())
        .source(Source.builder("pairs", SourceFormat.ICEBERG).entity("pair", "a", "b")
            .eventTime("t").column("a", ValueType.LONG).column("b", ValueType.STRING).build())
        .featureView(FeatureView.builder("card_txn", "payments").filter("amount > 0 and"
                + " items is not null").description("card spending")
            .freshness(Duration.ofMinutes(10)).maxLateness(Duration.ofMillis(5_400_500))
            .feature(new WindowedFeature("n", 2, Aggregation.count(),
                Window.sliding(Duration.ofHours(1), Duration.ofMinutes(5))))
            .aggregate("n", Aggregation.count(), Window.sliding(Duration.ofHours(1)))
            .aggregate("last", Aggregation.lastK("amount", 5), Window.lifetime())
            .aggregate("p95", Aggregation.approxPercentile("amount", 0.95),
                Window.sliding(Duration.ofMillis(90_500)))
            .aggregate("var", Aggregation.of(AggregationFunction.VAR_SAMP, "items"),
                Window.sliding(Duration.ofDays(400)))
            .latest("latest_items", "items", null)
            .latest("latest_amount", "amount", Duration.ofMinutes(90))
            .build())
        .onDemandView(new OnDemandFeatureView("ratios", "com.example.Ratios",
            List.of(FeatureReference.parse("card_txn:n"), FeatureReference.parse("card_txn:p95")),
            List.of(SourceColumn.of("amount", ValueType.DOUBLE)),
            List.of(SourceColumn.of("r", ValueType.DOUBLE), SourceColumn.of("q", ValueType.LONG))))
        .featureService(new FeatureService("svc", List.of(FeatureReference.parse("ratios:r"),
            FeatureReference.parse("card_txn:n@v1"), FeatureReference.parse("card_txn:last")),
            ""))
        .build();
  }

  @Test
  void theFraudExampleMatchesItsGoldenFile() throws IOException {
    byte[] golden = golden("fraud-v1.json");
    FeatureRepository fraud = Examples.fraud(dir);

    assertThat(new String(RegistryCodec.encode(fraud), StandardCharsets.UTF_8))
        .isEqualTo(new String(golden, StandardCharsets.UTF_8));
    assertThat(RegistryCodec.encode(RegistryCodec.decode(golden))).isEqualTo(golden);
    assertThat(RegistryCodec.decode(golden).featureService("fraud_model").orElseThrow()
        .features().get(0)).isEqualTo(FeatureReference.parse("card_txn:txn_count_5m@v1"));
  }

  @Test
  void decodingGivesThePinnedRepositoryInNameOrder() {
    FeatureRepository decoded = RegistryCodec.decode(RegistryCodec.encode(everything()));

    assertThat(decoded.entities()).extracting(Entity::name).containsExactly("card", "pair");
    assertThat(decoded.featureView("card_txn").orElseThrow().features())
        .extracting(feature -> feature.versionedName())
        .containsExactly("last", "latest_amount", "latest_items", "n", "n@v2", "p95", "var");
    assertThat(decoded.featureService("svc").orElseThrow().features())
        .extracting(FeatureReference::toString)
        .containsExactly("ratios:r@v1", "card_txn:n@v1", "card_txn:last@v1");
    assertThat(decoded.onDemandView("ratios").orElseThrow().inputs())
        .extracting(FeatureReference::toString).containsExactly("card_txn:n@v2", "card_txn:p95@v1");
    FeatureRepository pinned = Pinning.pin(everything());
    assertThat(decoded).isEqualTo(pinned);
    Source payments = decoded.source("payments").orElseThrow();
    assertThat(payments.zone()).contains(ZoneId.of("Europe/Paris"));
    assertThat(payments.ingestTimeColumn()).contains("received_at");
    FeatureView view = decoded.featureView("card_txn").orElseThrow();
    assertThat(view.freshness()).contains(Duration.ofMinutes(10));
    assertThat(view.maxLateness()).contains(Duration.ofMillis(5_400_500));
    assertThat(decoded.featureView("card_txn").orElseThrow().feature("latest_items", 1))
        .contains(new LatestFeature("latest_items", 1, "items", Optional.empty()));
    assertThat(decoded.featureView("card_txn").orElseThrow().feature("p95", 1).orElseThrow())
        .isEqualTo(WindowedFeature.of("p95", Aggregation.approxPercentile("amount", 0.95),
            Window.sliding(Duration.ofMillis(90_500))));
  }

  @Test
  void viewDurationsAreWrittenInTheirLargestUnitAndOldDocumentsReadWithoutThem()
      throws IOException {
    String json = new String(RegistryCodec.encode(everything()), StandardCharsets.UTF_8);
    assertThat(json).contains("      \"filter\": \"amount > 0 and items is not null\",\n"
        + "      \"freshness\": \"10m\",\n"
        + "      \"max_lateness\": \"5400500ms\",\n");

    FeatureView old = RegistryCodec.decode(golden("fraud-v1.json")).featureView("card_txn")
        .orElseThrow();
    assertThat(old.freshness()).isEmpty();
    assertThat(old.maxLateness()).isEmpty();
  }

  @Test
  void theBytesDoNotDependOnTheOrderOfDefinitions() {
    byte[] expected = RegistryCodec.encode(everything());
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      FeatureRepository original = everything();
      FeatureRepository shuffled = new FeatureRepository(shuffle(original.entities(), random),
          shuffle(original.sources(), random),
          original.featureViews().stream()
              .map(view -> view.withFeatures(shuffle(view.features(), random))).toList(),
          shuffle(original.onDemandViews(), random), shuffle(original.featureServices(), random));
      assertThat(RegistryCodec.encode(shuffled)).isEqualTo(expected);
    }
  }

  @Test
  void aStoredVersionDecodesWithItsVersionAndTime() {
    Instant time = Instant.parse("2024-05-01T10:00:00.123Z");
    RegistryDocument document = RegistryCodec.decode(
        new RegistryVersion(4, time, RegistryCodec.encode(everything())));
    assertThat(document.version()).isEqualTo(4);
    assertThat(document.committedAt()).isEqualTo(time);
    assertThat(document.repository()).isEqualTo(Pinning.pin(everything()));
    assertThatThrownBy(() -> new RegistryDocument(1, time, everything()))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build registry document version 1: a reference is not pinned");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]|it is not a JSON object (restore the file from a backup, or re-apply)",
      "{\"format\": \"x\", \"version\": 1}|its format is 'x', not 'lockstep.registry'"
          + " (restore the file from a backup, or re-apply)",
      "{\"format\": \"lockstep.registry\", \"version\": 2}|its format version 2 is not 1, the one"
          + " this Lockstep reads (upgrade Lockstep)",
      "{\"format\": \"lockstep.registry\"}|it has no format version (restore the file from a backup, or re-apply)",
      "{\"format\": \"lockstep.registry\", \"version\": 1, \"entities\": [], \"sources\": [],"
          + " \"feature_views\": [], \"on_demand_views\": [], \"feature_services\": [],"
          + " \"models\": []}|the document has an unknown field 'models' (was it written by a"
          + " newer Lockstep?)",
      "{\"format\": \"lockstep.registry\", \"version\": 1, \"entities\": [{\"name\": \"card\"}],"
          + " \"sources\": [], \"feature_views\": [], \"on_demand_views\": [],"
          + " \"feature_services\": []}|field 'join_keys' of entities item 'card' is not a list"
          + " (restore the file from a backup, or re-apply)",
      "{\"format\": \"lockstep.registry\", \"version\": 1, \"entities\": [], \"sources\": [],"
          + " \"feature_views\": [{\"name\": \"v\", \"source\": \"s\", \"features\": []}],"
          + " \"on_demand_views\": [], \"feature_services\": [{\"name\": \"x\", \"features\":"
          + " [\"v:f\"]}]}|a feature reference has no version (restore the file from a backup,"
          + " or re-apply)",
      "{\"format\": \"lockstep.registry\", \"version\": 1, \"entities\": [], \"sources\": [],"
          + " \"feature_views\": [{\"name\": \"v\", \"source\": \"s\", \"max_lateness\": 60,"
          + " \"features\": []}], \"on_demand_views\": [], \"feature_services\": []}|field"
          + " 'max_lateness' of feature_views item 'v' is not a string (restore the file from a"
          + " backup, or re-apply)",
      "{\"format\": \"lockstep.registry\", \"version\": 1, \"version\": 1}|it is not JSON"
          + " (Duplicate field 'version')"})
  void malformedDocumentsAreCorruptData(String json, String problem) {
    assertThatThrownBy(() -> RegistryCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isExactlyInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read registry document: " + problem);
  }

  static byte[] golden(String name) throws IOException {
    try (InputStream in = RegistryCodecTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static <T> List<T> shuffle(List<T> values, Random random) {
    List<T> copy = new ArrayList<>(values);
    Collections.shuffle(copy, random);
    return copy;
  }
}
