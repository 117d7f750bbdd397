package dev.lockstep.server;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.registry.RegistryCodec;
import dev.lockstep.registry.RegistryDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The fraud example's definitions, built with the Java API and pinned as the registry pins them. */
final class TestRegistry {
  static final Instant COMMITTED = Instant.parse("2026-11-20T08:30:00Z");

  private TestRegistry() {}

  static RegistryDocument fraud(long version) {
    FeatureRepository repository = FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(Source.builder("payments", SourceFormat.CSV)
            .path("data/payments.csv")
            .entity("card", "card_id")
            .eventTime("ts")
            .column("card_id", ValueType.STRING)
            .column("amount", ValueType.DOUBLE)
            .column("merchant", ValueType.STRING)
            .column("items", ValueType.LONG)
            .build())
        .featureView(FeatureView.builder("card_txn", "payments")
            .aggregate("txn_count_5m", Aggregation.count(), Window.sliding(Duration.ofMinutes(5)))
            .aggregate("amount_sum_7d", Aggregation.sum("amount"), Window.sliding(Duration.ofDays(7)))
            .aggregate("amount_sum_30d", Aggregation.sum("amount"), Window.sliding(Duration.ofDays(30)))
            .latest("last_merchant", "merchant", Duration.ofDays(30))
            .build())
        .onDemandView(new OnDemandFeatureView("card_ratios", "dev.lockstep.cli.examples.SpendRatio",
            List.of(FeatureReference.parse("card_txn:amount_sum_7d"), FeatureReference.parse("card_txn:amount_sum_30d")),
            List.of(), List.of(SourceColumn.of("spend_ratio_7d_30d", ValueType.DOUBLE))))
        .featureService(FeatureService.of("fraud_model", "card_txn:txn_count_5m", "card_txn:last_merchant",
            "card_ratios:spend_ratio_7d_30d"))
        .build();
    return new RegistryDocument(version, COMMITTED, RegistryCodec.decode(RegistryCodec.encode(repository)));
  }
}
