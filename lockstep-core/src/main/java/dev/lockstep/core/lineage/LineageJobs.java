package dev.lockstep.core.lineage;

import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.core.lineage.LineageNode.Kind;
import dev.lockstep.core.training.TrainingSetOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OpenLineage job names, types and datasets of Lockstep's runs: what each one reads and writes.
 */
public final class LineageJobs {
  private LineageJobs() {}

  /** The job of ingesting into {@code source}: {@code ingest.<source>}. */
  public static String ingestJob(String source) {
    return "ingest." + source;
  }

  /** The materialize job. */
  public static final String MATERIALIZE_JOB = "materialize";

  /** The job of building a training set of {@code service}: {@code training_set.<service>}. */
  public static String trainingSetJob(String service) {
    return "training_set." + service;
  }

  /** Ingest reads the file (with the source's declared columns). */
  public static List<LineageDataset> ingestInputs(Source source, Path file) {
    return List.of(LineageDataset.file(file, source.columns()));
  }

  /** Ingest writes the source's offline table. */
  public static List<LineageDataset> ingestOutputs(String namespace, Source source) {
    return List.of(offlineTable(namespace, source));
  }

  /** Materialize reads the offline table of every source that has feature views. */
  public static List<LineageDataset> materializeInputs(String namespace, FeatureRepository repository) {
    Set<String> read = new LinkedHashSet<>();
    repository.featureViews().forEach(view -> read.add(view.source()));
    return repository.sources().stream().filter(source -> read.contains(source.name()))
        .map(source -> offlineTable(namespace, source)).toList();
  }

  /** Materialize writes the online state of every feature view. */
  public static List<LineageDataset> materializeOutputs(String namespace, FeatureRepository repository) {
    return repository.featureViews().stream().map(FeatureView::name)
        .map(view -> LineageDataset.onlineView(namespace, view)).toList();
  }

  /**
   * A training set reads the offline tables of the sources its service reads (through views and
   * on-demand views), and the spine: its file, or its source's table.
   */
  public static List<LineageDataset> trainingSetInputs(String namespace, FeatureRepository repository,
      TrainingSetOptions options) {
    List<LineageDataset> inputs = new ArrayList<>();
    LineageGraph graph = LineageGraph.of(repository, 0, List.of());
    boolean known = repository.featureService(options.service()).isPresent();
    List<LineageNode> sources = known
        ? graph.sourcesOf(LineageNode.of(Kind.FEATURE_SERVICE, options.service()))
        : List.of();
    for (LineageNode node : sources) {
      repository.source(node.name()).ifPresent(source -> inputs.add(offlineTable(namespace, source)));
    }
    options.spineFile().ifPresent(file -> inputs.add(LineageDataset.file(file, List.<SourceColumn>of())));
    options.spineSource().flatMap(repository::source).ifPresent(source -> {
      LineageDataset table = offlineTable(namespace, source);
      if (!inputs.contains(table)) {
        inputs.add(table);
      }
    });
    return inputs;
  }

  /** A training set writes its output directory. */
  public static List<LineageDataset> trainingSetOutputs(TrainingSetOptions options) {
    return List.of(LineageDataset.file(options.output(), List.of()));
  }

  private static LineageDataset offlineTable(String namespace, Source source) {
    return LineageDataset.offlineTable(namespace, source.name(), source.columns());
  }
}
