package dev.lockstep.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.definition.RepositoryLoader;
import dev.lockstep.registry.ChangeRefusedException;
import dev.lockstep.registry.Plan;
import dev.lockstep.registry.Registry;
import dev.lockstep.registry.RegistryCodec;
import dev.lockstep.registry.RegistryDocument;
import dev.lockstep.spi.registry.CommitConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan, apply, refusal and new-version flows of the fraud example on a file registry. */
class RegistryFlowTest {
  private static final String MEAN_1H =
      "- {name: amount_mean_1h, aggregation: mean, column: amount, window: 1h}";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path repository;
  @TempDir Path registryDirectory;

  @BeforeEach
  void copyTheExample() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../examples/fraud"))) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).toList()) {
        Files.writeString(repository.resolve(file.getFileName()), Files.readString(file)
            .replace("dev.lockstep.cli.examples.SpendRatio", SpendRatio.class.getName()));
      }
    }
  }

  private Registry registry() {
    return new Registry(new FileRegistryStore(registryDirectory, CLOCK));
  }

  private FeatureRepository definitions() {
    return RepositoryLoader.load(repository, getClass().getClassLoader()).repository();
  }

  private void editFeatures(String find, String replace) throws IOException {
    Path features = repository.resolve("features.yaml");
    String text = Files.readString(features);
    assertThat(text).contains(find);
    Files.writeString(features, text.replace(find, replace));
  }

  @Test
  void aChangedMeaningIsRefusedThenAppliedAsANewVersion() throws IOException {
    Registry registry = registry();
    Plan first = registry.plan(definitions());
    assertThat(first.render()).startsWith("Registry empty -> version 1:\n  + entity card\n")
        .contains("  + feature card_txn:amount_sum_7d sum(amount) over 7d/1h\n")
        .contains("  + contract payments\n")
        .endsWith("Plan: 13 to add, 0 to change, 0 to remove.\n");
    RegistryDocument v1 = registry.apply(first);
    assertThat(v1.version()).isEqualTo(1);
    assertThat(Files.readString(registryDirectory.resolve("v000001.json")))
        .contains(new String(RegistryCodec.encode(definitions())));

    editFeatures(MEAN_1H, MEAN_1H.replace("window: 1h", "window: 2h"));
    Plan changed = registry.plan(definitions());
    assertThat(changed.render()).isEqualTo("""
        Registry version 1 -> 2:
          ~ feature card_txn:amount_mean_1h window 1h -> 2h
          ~ feature card_txn:amount_mean_1h hop 1m -> 5m
        Plan: 0 to add, 1 to change, 0 to remove.
        Refused (nothing can be applied):
          ! Cannot change feature card_txn:amount_mean_1h: feature service fraud_model uses it,\
         and this would change its window 1h -> 2h, hop 1m -> 5m (declare the new meaning as a\
         new version, amount_mean_1h@v2, and keep amount_mean_1h as it is)
        """);
    assertThatThrownBy(() -> registry.apply(changed))
        .isExactlyInstanceOf(ChangeRefusedException.class);
    assertThat(registry.history()).hasSize(1);

    editFeatures(MEAN_1H.replace("window: 1h", "window: 2h"),
        MEAN_1H + "\n      " + MEAN_1H.replace("amount_mean_1h", "amount_mean_1h@v2")
            .replace("window: 1h", "window: 2h"));
    Plan versioned = registry.plan(definitions());
    assertThat(versioned.refusals()).isEmpty();
    assertThat(versioned.render()).isEqualTo("""
        Registry version 1 -> 2:
          + feature card_txn:amount_mean_1h@v2 mean(amount) over 2h/5m
          ~ feature_service fraud_model adds card_txn:amount_mean_1h@v2
          ~ feature_service fraud_model drops card_txn:amount_mean_1h@v1
        Plan: 1 to add, 1 to change, 0 to remove.
        """);
    RegistryDocument v2 = registry.apply(versioned);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.repository().featureView("card_txn").orElseThrow().feature("amount_mean_1h", 1))
        .isPresent();
    registry.close();

    Registry reopened = registry();
    assertThat(reopened.history()).extracting(RegistryDocument::version).containsExactly(1L, 2L);
    assertThat(reopened.current().orElseThrow().repository().featureService("fraud_model")
        .orElseThrow().features()).contains(FeatureReference.parse("card_txn:amount_mean_1h@v2"));
    assertThat(reopened.version(1).orElseThrow().repository().featureService("fraud_model")
        .orElseThrow().features()).contains(FeatureReference.parse("card_txn:amount_mean_1h@v1"));
    assertThat(reopened.version(1).orElseThrow().committedAt()).isEqualTo(CLOCK.instant());

    editFeatures(MEAN_1H + "\n      ", "");
    Plan retire = reopened.plan(definitions());
    assertThat(retire.refusals()).isEmpty();
    assertThat(retire.render()).isEqualTo("""
        Registry version 2 -> 3:
          - feature card_txn:amount_mean_1h
        Plan: 0 to add, 0 to change, 1 to remove.
        """);
    assertThat(reopened.apply(retire).version()).isEqualTo(3);
  }

  @Test
  void twoWritersPlanningAtOnceCannotBothApply() throws IOException {
    registry().apply(registry().plan(definitions()));
    Registry alice = registry();
    Registry bob = registry();

    editFeatures(MEAN_1H, MEAN_1H + "\n      - {name: n_1d, aggregation: count, window: 1d}");
    Plan alicePlan = alice.plan(definitions());
    editFeatures("window: 1d}", "window: 2d}");
    Plan bobPlan = bob.plan(definitions());

    assertThat(alice.apply(alicePlan).version()).isEqualTo(2);
    assertThatThrownBy(() -> bob.apply(bobPlan))
        .isExactlyInstanceOf(CommitConflictException.class)
        .hasMessage("Cannot commit registry change planned against version 1: version 2 was"
            + " committed at 2024-05-01T10:00:00Z by another writer (re-run plan, then apply)");

    Plan replanned = bob.plan(definitions());
    assertThat(replanned.changes()).extracting(Object::toString)
        .containsExactly("~ feature card_txn:n_1d window 1d -> 2d",
            "~ feature card_txn:n_1d hop 5m -> 1h");
    assertThat(bob.apply(replanned).version()).isEqualTo(3);
    assertThat(registry().history()).hasSize(3);
  }

  /** Stands in for the CLI's example class. */
  public static final class SpendRatio implements OnDemandFunction {
    @Override
    public Map<String, Object> compute(Map<String, Object> values) {
      return Map.of();
    }
  }
}
