package dev.lockstep.core.online.serving;

import dev.lockstep.core.online.state.ViewLayout;

import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.definition.OnDemandEvaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The features one request asks for, resolved against the applied registry: each computed feature
 * as (view layout, binding), the on-demand views to run after them, and the output columns in the
 * requested order. Unpinned references take the feature's highest version, as training sets do.
 *
 * <p>Immutable once built, and shared by every request for the same service or feature list; the
 * on-demand functions it holds must be thread-safe ({@link OnDemandFunction}'s contract) and run by the one {@link OnDemandEvaluator}.
 */
public final class ServingPlan {
  public final List<Computed> computed;
  public final OnDemandEvaluator onDemand;
  public final List<String> outputs;
  public final List<ViewLayout> layouts;

  public record Computed(String column, ViewLayout layout, ViewLayout.Binding binding) {}

  private ServingPlan(List<Computed> computed, OnDemandEvaluator onDemand, List<String> outputs, List<ViewLayout> layouts) {
    this.computed = computed;
    this.onDemand = onDemand;
    this.outputs = outputs;
    this.layouts = layouts;
  }

  public static ServingPlan forService(FeatureRepository repository, Map<String, ViewLayout> layouts, String name,
      ClassLoader loader) {
    FeatureService service = repository.featureService(name).orElseThrow(() -> new UnknownNameException(
        "Cannot fetch features: there is no feature service '" + name + "' (services: "
            + repository.featureServices().stream().map(FeatureService::name).toList() + ")"));
    return of(repository, layouts, service.features(), loader);
  }

  public static ServingPlan forFeatures(FeatureRepository repository, Map<String, ViewLayout> layouts, List<String> names,
      ClassLoader loader) {
    List<FeatureReference> references = new ArrayList<>();
    for (String name : names) {
      try {
        references.add(FeatureReference.parse(name));
      } catch (RuntimeException e) {
        throw new dev.lockstep.api.client.InvalidRequestException("Cannot fetch features: '" + name
            + "' is not a feature reference (write view:feature or view:feature@vN)");
      }
    }
    return of(repository, layouts, references, loader);
  }

  private static ServingPlan of(FeatureRepository repository, Map<String, ViewLayout> layouts,
      List<FeatureReference> references, ClassLoader loader) {
    Map<String, Computed> computed = new LinkedHashMap<>();
    List<OnDemandFeatureView> onDemand = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (FeatureReference reference : references) {
      Optional<OnDemandFeatureView> view = repository.onDemandView(reference.view());
      if (view.isPresent()) {
        if (!onDemand.contains(view.get())) {
          onDemand.add(view.get());
          for (FeatureReference input : view.get().inputs()) {
            computed.computeIfAbsent(input.columnName(), column -> resolve(repository, layouts, input));
          }
        }
        if (view.get().outputs().stream().noneMatch(output -> output.name().equals(reference.feature()))) {
          throw new UnknownNameException("Cannot fetch features: on-demand view '" + reference.view()
              + "' has no output '" + reference.feature() + "'");
        }
        outputs.add(reference.columnName());
        continue;
      }
      Computed feature = resolve(repository, layouts, reference);
      computed.putIfAbsent(feature.column(), feature);
      outputs.add(feature.column());
    }
    List<ViewLayout> used = new ArrayList<>();
    for (Computed feature : computed.values()) {
      if (!used.contains(feature.layout())) {
        used.add(feature.layout());
      }
    }
    return new ServingPlan(List.copyOf(computed.values()), OnDemandEvaluator.of(onDemand, loader), outputs, used);
  }

  private static Computed resolve(FeatureRepository repository, Map<String, ViewLayout> layouts,
      FeatureReference reference) {
    FeatureView view = repository.featureView(reference.view()).orElseThrow(() -> new UnknownNameException(
        "Cannot fetch features: there is no feature view '" + reference.view() + "'"));
    Optional<FeatureDefinition> definition = reference.version().isPresent()
        ? view.feature(reference.feature(), reference.version().get())
        : view.latestVersion(reference.feature());
    FeatureDefinition found = definition.orElseThrow(() -> new UnknownNameException(
        "Cannot fetch features: feature view '" + view.name() + "' has no feature " + reference));
    ViewLayout layout = layouts.get(view.name());
    return new Computed(reference.columnName(), layout, layout.binding(ViewLayout.key(found)).orElseThrow());
  }
}
