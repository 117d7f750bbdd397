package dev.lockstep.core.training;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.core.internal.EventAdmission;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.engine.sweep.FeatureSpec;
import dev.lockstep.engine.sweep.LatestSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a training set for one feature service computes: its features resolved to versions and
 * grouped by the events they read (one group per source, filter and max lateness, so each is
 * scanned once), the on-demand views to run afterwards, and the output columns in the service's
 * order.
 */
final class TrainingPlan {
  private final FeatureService service;
  private final List<EventGroup> groups;
  private final List<OnDemandFeatureView> onDemandViews;
  private final List<OutputFeature> outputs;

  private TrainingPlan(
      FeatureService service,
      List<EventGroup> groups,
      List<OnDemandFeatureView> onDemandViews,
      List<OutputFeature> outputs) {
    this.service = service;
    this.groups = groups;
    this.onDemandViews = onDemandViews;
    this.outputs = outputs;
  }

  /** A feature column of the output: which feature, at which version, computed where. */
  record OutputFeature(String column, FeatureReference reference, FeatureDefinition definition) {}

  /**
   * The features of one (source, filter, max lateness): they share one scan and one partitioning
   * by entity key. Feature values come out windowed first, then latest.
   *
   * @param view one of the group's views: all of them share its source, filter and max lateness,
   *     which is all the group reads from it
   */
  record EventGroup(
      Source source,
      Entity entity,
      FeatureView view,
      List<String> payloadColumns,
      List<ValueType> payloadTypes,
      List<FeatureSpec> windowed,
      List<LatestSpec> latest,
      List<ValueType> keyTypes) {

    EventGroup(
        Source source,
        Entity entity,
        FeatureView view,
        List<String> payloadColumns,
        List<ValueType> payloadTypes,
        List<FeatureSpec> windowed,
        List<LatestSpec> latest) {
      this(
          source,
          entity,
          view,
          payloadColumns,
          payloadTypes,
          windowed,
          latest,
          source.keyColumns().stream().map(key -> source.column(key).orElseThrow().type()).toList());
    }

    /** The condition the group's events must meet, e.g. {@code amount > 0}; empty for all. */
    Optional<String> filter() {
      return view.filter();
    }

    /** The events the views count by their times: {@link EventAdmission#admits}. */
    EventPartitioner.LatenessRule latenessRule() {
      return (eventTime, ingestTime) -> EventAdmission.admits(source, view, eventTime, ingestTime);
    }

    List<String> featureColumns() {
      List<String> columns = new ArrayList<>();
      windowed.forEach(spec -> columns.add(spec.name()));
      latest.forEach(spec -> columns.add(spec.name()));
      return columns;
    }

  }

  /**
   * Resolves {@code serviceName} in {@code repository}: unpinned references take the feature's
   * highest version.
   *
   * @throws InvalidDefinitionException if the service or a feature it names does not exist
   */
  static TrainingPlan of(FeatureRepository repository, String serviceName) {
    FeatureService service =
        repository
            .featureService(serviceName)
            .orElseThrow(
                () ->
                    new InvalidDefinitionException(
                        "Cannot build a training set: there is no feature service '"
                            + serviceName
                            + "' (services: "
                            + repository.featureServices().stream().map(FeatureService::name).toList()
                            + "; run lockstep apply first?)"));
    Map<String, OutputFeature> computed = new LinkedHashMap<>();
    List<OnDemandFeatureView> onDemand = new ArrayList<>();
    List<OutputFeature> outputs = new ArrayList<>();
    for (FeatureReference reference : service.features()) {
      Optional<OnDemandFeatureView> view = repository.onDemandView(reference.view());
      if (view.isPresent()) {
        if (!onDemand.contains(view.get())) {
          onDemand.add(view.get());
          for (FeatureReference input : view.get().inputs()) {
            computed.computeIfAbsent(
                input.columnName(), column -> resolve(repository, input));
          }
        }
        SourceColumn output =
            view.get().outputs().stream()
                .filter(column -> column.name().equals(reference.feature()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new InvalidDefinitionException(
                            "Cannot build a training set: on-demand view '"
                                + reference.view()
                                + "' has no output '"
                                + reference.feature()
                                + "'"));
        outputs.add(new OutputFeature(reference.columnName(), reference, null));
        continue;
      }
      OutputFeature feature = resolve(repository, reference);
      OutputFeature previous = computed.putIfAbsent(feature.column(), feature);
      if (previous != null && !previous.reference().equals(feature.reference())) {
        throw new InvalidDefinitionException(
            "Cannot build a training set: service '"
                + serviceName
                + "' asks for "
                + previous.reference()
                + " and "
                + feature.reference()
                + ", which share the column "
                + feature.column());
      }
      outputs.add(feature);
    }
    return new TrainingPlan(service, group(repository, computed.values()), onDemand, outputs);
  }

  private static OutputFeature resolve(FeatureRepository repository, FeatureReference reference) {
    FeatureView view =
        repository
            .featureView(reference.view())
            .orElseThrow(
                () ->
                    new InvalidDefinitionException(
                        "Cannot build a training set: there is no feature view '"
                            + reference.view()
                            + "'"));
    Optional<FeatureDefinition> definition =
        reference.version().isPresent()
            ? view.feature(reference.feature(), reference.version().get())
            : view.latestVersion(reference.feature());
    FeatureDefinition found =
        definition.orElseThrow(
            () ->
                new InvalidDefinitionException(
                    "Cannot build a training set: feature view '"
                        + view.name()
                        + "' has no feature "
                        + reference));
    return new OutputFeature(
        reference.columnName(), reference.withVersion(found.version()), found);
  }

  private static List<EventGroup> group(
      FeatureRepository repository, Iterable<OutputFeature> features) {
    Map<List<Object>, List<OutputFeature>> byEvents = new LinkedHashMap<>();
    Map<List<Object>, FeatureView> viewOf = new LinkedHashMap<>();
    for (OutputFeature feature : features) {
      FeatureView view = repository.featureView(feature.reference().view()).orElseThrow();
      List<Object> key = List.of(view.source(), view.filter(), view.maxLateness());
      byEvents.computeIfAbsent(key, ignored -> new ArrayList<>()).add(feature);
      viewOf.putIfAbsent(key, view);
    }
    List<EventGroup> groups = new ArrayList<>();
    for (Map.Entry<List<Object>, List<OutputFeature>> entry : byEvents.entrySet()) {
      FeatureView view = viewOf.get(entry.getKey());
      String sourceName = view.source();
      Source source =
          repository
              .source(sourceName)
              .orElseThrow(
                  () ->
                      new InvalidDefinitionException(
                          "Cannot build a training set: there is no source '" + sourceName + "'"));
      Entity entity =
          repository
              .entity(source.entity())
              .orElseThrow(
                  () ->
                      new InvalidDefinitionException(
                          "Cannot build a training set: there is no entity '"
                              + source.entity()
                              + "'"));
      Set<String> payload = new LinkedHashSet<>();
      List<FeatureSpec> windowed = new ArrayList<>();
      List<LatestSpec> latest = new ArrayList<>();
      for (OutputFeature feature : entry.getValue()) {
        if (feature.definition() instanceof WindowedFeature windowedFeature) {
          if (windowedFeature.aggregation().column() != null) {
            payload.add(windowedFeature.aggregation().column());
          }
          windowed.add(
              new FeatureSpec(
                  feature.column(), windowedFeature.aggregation(), windowedFeature.window()));
        } else if (feature.definition() instanceof LatestFeature latestFeature) {
          payload.add(latestFeature.column());
          latest.add(
              new LatestSpec(
                  feature.column(),
                  latestFeature.column(),
                  latestFeature.ttl().map(ttl -> ttl.toMillis()).orElse(-1L)));
        }
      }
      List<String> columns = new ArrayList<>(payload);
      List<ValueType> types = new ArrayList<>();
      for (String column : columns) {
        types.add(
            source
                .column(column)
                .orElseThrow(
                    () ->
                        new InvalidDefinitionException(
                            "Cannot build a training set: source '"
                                + source.name()
                                + "' has no column '"
                                + column
                                + "'"))
                .type());
      }
      groups.add(new EventGroup(source, entity, view, columns, types, windowed, latest));
    }
    return groups;
  }

  FeatureService service() {
    return service;
  }

  List<EventGroup> groups() {
    return groups;
  }

  List<OnDemandFeatureView> onDemandViews() {
    return onDemandViews;
  }

  List<OutputFeature> outputs() {
    return outputs;
  }
}
