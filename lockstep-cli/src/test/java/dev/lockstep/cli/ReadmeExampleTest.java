package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetManifest;
import dev.lockstep.core.training.TrainingSetOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, verbatim between the markers, so it keeps compiling and working. */
class ReadmeExampleTest {
  @TempDir Path repository;

  @Test
  void theReadmeExampleRuns() throws Exception {
    Files.writeString(repository.resolve("payments.csv"), "card_id,ts,amount\nc1,2026-01-01T10:00:00Z,5.0\n");
    Files.writeString(repository.resolve("spine.csv"), "card_id,ts\nc1,2026-01-01T10:00:01Z\n");
    TrainingSetManifest result;
    // README begin
    FeatureRepository definitions = FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(Source.builder("payments", SourceFormat.CSV)
            .entity("card", "card_id").eventTime("ts")
            .column("card_id", ValueType.STRING).column("amount", ValueType.DOUBLE)
            .build())
        .featureView(FeatureView.builder("card_txn", "payments")
            .aggregate("txn_count_5m", Aggregation.count(), Window.sliding(Duration.ofMinutes(5)))
            .aggregate("amount_mean_1h", Aggregation.mean("amount"), Window.sliding(Duration.ofHours(1)))
            .build())
        .featureService(FeatureService.of("fraud_model", "card_txn:txn_count_5m", "card_txn:amount_mean_1h"))
        .build();

    try (Lockstep lockstep = Lockstep.open(repository)) {
      lockstep.apply(lockstep.registry().plan(definitions));
      lockstep.ingest("payments", repository.resolve("payments.csv"));
      TrainingSetManifest manifest = lockstep.trainingSet(
          TrainingSetOptions.forService("fraud_model", repository.resolve("spine.csv"), repository.resolve("out")),
          TrainingSetListener.QUIET);
      // README end
      result = manifest;
    }
    assertThat(result.rows().output()).isEqualTo(1);
    assertThat(result.features()).extracting(TrainingSetManifest.Feature::column)
        .containsExactly("card_txn__txn_count_5m", "card_txn__amount_mean_1h");
  }

  /**
   * Every {@code yaml} block of the README and the docs is YAML a user can paste: it parses (a flow
   * mapping holding an unquoted {@code ${VARIABLE}} does not).
   */
  @Test
  void everyYamlBlockOfTheDocsParses() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("README.md")) || !Files.isDirectory(root.resolve("docs"))) {
      root = root.getParent();
    }
    java.util.List<Path> pages = new java.util.ArrayList<>(java.util.List.of(root.resolve("README.md")));
    try (java.util.stream.Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    java.util.regex.Pattern block = java.util.regex.Pattern.compile("(?s)```yaml\\n(.*?)```");
    int parsed = 0;
    for (Path page : pages) {
      java.util.regex.Matcher matcher = block.matcher(Files.readString(page));
      while (matcher.find()) {
        String yaml = matcher.group(1);
        try {
          new org.yaml.snakeyaml.Yaml().loadAll(yaml).forEach(document -> { });
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
          throw new AssertionError(root.relativize(page) + ": a yaml block does not parse: "
              + e.getMessage().lines().findFirst().orElse("") + "\n" + yaml, e);
        }
        parsed++;
      }
    }
    assertThat(parsed).isGreaterThan(10);
  }
}
