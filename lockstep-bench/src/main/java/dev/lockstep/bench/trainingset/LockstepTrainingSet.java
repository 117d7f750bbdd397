package dev.lockstep.bench.trainingset;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.bench.PaymentsFixture;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.ingest.IngestResult;
import dev.lockstep.registry.Plan;
import dev.lockstep.core.training.TrainingSetListener;
import dev.lockstep.core.training.TrainingSetManifest;
import dev.lockstep.core.training.TrainingSetOptions;
import dev.lockstep.engine.sweep.FeatureSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Lockstep side of the training-set benchmark: the 20-feature training set of {@code
 * PaymentsFixture.twentyFeatures()} over {@code --events-parquet F --spine-parquet F}, in EVENT_TIME
 * mode, written as Parquet under {@code --out DIR}. The events are ingested once into an embedded
 * project under {@code --work DIR} (Iceberg, untimed; later runs find them already ingested); the
 * timed job is the training set alone, as for the peers. Prints one {@link JobReport} line.
 */
public final class LockstepTrainingSet {
  private LockstepTrainingSet() {}

  public static void main(String[] args) throws Exception {
    Args options = Args.parse("LockstepTrainingSet", args, Set.of("events-parquet", "spine-parquet", "out", "work"));
    // one project per data set (the data directory's name), so sizes never share a table
    Path events = options.path("events-parquet").toAbsolutePath();
    Path project = options.path("work").resolve("lockstep-" + events.getParent().getFileName());
    Files.createDirectories(project);
    Path out = options.path("out");
    try (Lockstep lockstep = Lockstep.open(project)) {
      Plan plan = lockstep.registry().plan(repository());
      if (!plan.isEmpty()) {
        lockstep.apply(plan);
      }
      long ingestStart = System.nanoTime();
      IngestResult ingest = lockstep.ingest("payments", options.path("events-parquet"));
      if (!ingest.duplicate()) {
        System.err.printf("ingested %,d events in %.1f s%n", ingest.accepted(), (System.nanoTime() - ingestStart) / 1e9);
      }
      deleteRecursively(out);
      long start = System.nanoTime();
      TrainingSetManifest manifest = lockstep.trainingSet(
          TrainingSetOptions.forService("fraud20", options.path("spine-parquet"), out).withTimeColumn("ts"),
          TrainingSetListener.QUIET);
      JobReport.print("lockstep", start, manifest.rows().output());
    }
  }

  /** The benchmark's definitions, built with the Java API: the same 20 features as the peers. */
  static FeatureRepository repository() {
    FeatureView.Builder view = FeatureView.builder("card", "payments");
    List<String> references = new ArrayList<>();
    for (FeatureSpec spec : PaymentsFixture.twentyFeatures()) {
      view.feature(WindowedFeature.of(spec.name(), spec.aggregation(), spec.window()));
      references.add("card:" + spec.name());
    }
    Source payments = Source.builder("payments", SourceFormat.PARQUET)
        .entity("card", "card_id")
        .eventTime("event_time")
        .ingestTime("ingest_time")
        .column("card_id", ValueType.STRING)
        .column("amount", ValueType.DOUBLE)
        .column("merchant", ValueType.STRING)
        .column("items", ValueType.LONG)
        .build();
    return FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(payments)
        .featureView(view.build())
        .featureService(FeatureService.of("fraud20", references.toArray(String[]::new)))
        .build();
  }

  private static void deleteRecursively(Path directory) throws java.io.IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
