package dev.lockstep.registry;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns a repository into the form the registry stores: every feature reference of a service or
 * an on-demand view pinned to a version (an unversioned reference to a feature view's feature
 * takes its highest version; on-demand outputs are version 1), and every list of definitions in
 * name order (features by name, then version), so that the same definitions give the same document
 * however they were spread over files. Source columns, service features and on-demand inputs keep
 * their order, which means something.
 */
final class Pinning {
  private Pinning() {}

  /** @throws InvalidDefinitionException if a reference names no feature or output */
  static FeatureRepository pin(FeatureRepository repository) {
    return new FeatureRepository(
        sorted(repository.entities(), Comparator.comparing(Entity::name)),
        sorted(repository.sources(), Comparator.comparing(Source::name)),
        repository.featureViews().stream()
            .map(Pinning::sortedFeatures)
            .sorted(Comparator.comparing(FeatureView::name))
            .toList(),
        repository.onDemandViews().stream()
            .map(view -> new OnDemandFeatureView(view.name(), view.className(),
                pin(repository, view.inputs()), view.requestFields(), view.outputs()))
            .sorted(Comparator.comparing(OnDemandFeatureView::name))
            .toList(),
        repository.featureServices().stream()
            .map(service -> new FeatureService(service.name(),
                pin(repository, service.features()), service.description()))
            .sorted(Comparator.comparing(FeatureService::name))
            .toList(),
        sorted(repository.contracts(), Comparator.comparing(dev.lockstep.api.definition.DataContract::source)));
  }

  /** Whether every reference of {@code repository} names a version. */
  static boolean isPinned(FeatureRepository repository) {
    return repository.featureServices().stream()
            .allMatch(service -> service.features().stream()
                .allMatch(reference -> reference.version().isPresent()))
        && repository.onDemandViews().stream()
            .allMatch(view -> view.inputs().stream()
                .allMatch(reference -> reference.version().isPresent()));
  }

  private static List<FeatureReference> pin(FeatureRepository repository,
      List<FeatureReference> references) {
    return references.stream().map(reference -> pin(repository, reference)).toList();
  }

  private static FeatureReference pin(FeatureRepository repository, FeatureReference reference) {
    Optional<FeatureView> view = repository.featureView(reference.view());
    if (view.isPresent()) {
      Optional<FeatureDefinition> feature = reference.version().isPresent()
          ? view.get().feature(reference.feature(), reference.version().get())
          : view.get().latestVersion(reference.feature());
      if (feature.isPresent()) {
        return reference.withVersion(feature.get().version());
      }
    } else if (repository.onDemandView(reference.view()).map(onDemand -> onDemand.outputs()
        .stream().anyMatch(output -> output.name().equals(reference.feature()))).orElse(false)
        && reference.version().orElse(1) == 1) {
      return reference.withVersion(1);
    }
    throw new InvalidDefinitionException("Cannot pin feature reference '" + reference
        + "': no such feature (validate the repository first)");
  }

  private static FeatureView sortedFeatures(FeatureView view) {
    return view.withFeatures(sorted(view.features(), Comparator.comparing(
        FeatureDefinition::name).thenComparingInt(FeatureDefinition::version)));
  }

  private static <T> List<T> sorted(List<T> values, Comparator<T> order) {
    return values.stream().sorted(order).toList();
  }
}
