package dev.lockstep.registry;

import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry's one rule: a feature version that a feature service of the current registry uses
 * (directly, or as an input of an on-demand view the service uses) keeps its meaning and is not
 * removed. Its meaning is its aggregation, column, k, quantile, window, hop and TTL, its view's
 * source, filter and max lateness, its source's entity, keys, time columns and zone, and its
 * column's type; a source's path and new columns, and a view's freshness, are not part of it. A
 * changed meaning must be declared as a new version ({@code name@v2}) next to the old one. Outputs
 * of on-demand views a service uses may not be removed either.
 */
final class UsageRule {
  private UsageRule() {}

  /** One line per refused change, in order of feature; empty if the change may be applied. */
  static List<String> refusals(FeatureRepository current, FeatureRepository proposed) {
    Map<FeatureReference, SortedSet<String>> users = new TreeMap<>(
        Comparator.comparing(FeatureReference::toString));
    for (FeatureService service : current.featureServices()) {
      for (FeatureReference reference : service.features()) {
        users.computeIfAbsent(reference, key -> new TreeSet<>()).add(service.name());
        current.onDemandView(reference.view()).ifPresent(view -> view.inputs().forEach(input ->
            users.computeIfAbsent(input, key -> new TreeSet<>()).add(service.name())));
      }
    }
    List<String> refusals = new ArrayList<>();
    users.forEach((reference, services) -> {
      String usedBy = "feature service" + (services.size() == 1 ? " " : "s ")
          + String.join(", ", services) + (services.size() == 1 ? " uses it" : " use it");
      Optional<FeatureView> view = current.featureView(reference.view());
      if (view.isPresent()) {
        check(current, proposed, view.get(), reference, usedBy).ifPresent(refusals::add);
      } else {
        current.onDemandView(reference.view())
            .flatMap(onDemand -> checkOutput(proposed, onDemand, reference, usedBy))
            .ifPresent(refusals::add);
      }
    });
    return refusals;
  }

  private static Optional<String> check(FeatureRepository current, FeatureRepository proposed,
      FeatureView view, FeatureReference reference, String usedBy) {
    int version = reference.version().orElseThrow();
    FeatureDefinition feature = view.feature(reference.feature(), version).orElseThrow();
    String name = view.name() + ":" + feature.versionedName();
    Optional<FeatureView> proposedView = proposed.featureView(view.name());
    Optional<FeatureDefinition> proposedFeature =
        proposedView.flatMap(found -> found.feature(reference.feature(), version));
    if (proposedFeature.isEmpty()) {
      return Optional.of("Cannot remove feature " + name + ": " + usedBy + " (keep it in view '"
          + view.name() + "'; to retire it, first apply the services without it)");
    }
    List<String> differences = Meanings.differences(Meanings.full(current, view, feature),
        Meanings.full(proposed, proposedView.get(), proposedFeature.get()));
    if (differences.isEmpty()) {
      return Optional.empty();
    }
    int next = proposedView.get().latestVersion(reference.feature()).orElseThrow().version() + 1;
    next = Math.max(next, view.latestVersion(reference.feature()).orElseThrow().version() + 1);
    return Optional.of("Cannot change feature " + name + ": " + usedBy + ", and this would"
        + " change its " + String.join(", ", differences) + " (declare the new meaning as a new"
        + " version, " + reference.feature() + "@v" + next + ", and keep " + feature.versionedName()
        + " as it is)");
  }

  private static Optional<String> checkOutput(FeatureRepository proposed,
      OnDemandFeatureView view, FeatureReference reference, String usedBy) {
    boolean kept = proposed.onDemandView(view.name())
        .map(found -> found.outputs().stream()
            .anyMatch(output -> output.name().equals(reference.feature())))
        .orElse(false);
    if (kept) {
      return Optional.empty();
    }
    return Optional.of("Cannot remove output " + view.name() + ":" + reference.feature()
        + " of on-demand view '" + view.name() + "': " + usedBy
        + " (keep it; to retire it, first apply the services without it)");
  }
}
