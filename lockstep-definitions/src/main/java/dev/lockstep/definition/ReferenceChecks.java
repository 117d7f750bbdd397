package dev.lockstep.definition;

import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.api.definition.SourceColumn;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves the feature references of on-demand views and feature services, and loads on-demand
 * classes. On-demand inputs name features of feature views; services may also name on-demand
 * outputs, which have no versions besides 1.
 */
final class ReferenceChecks {
  private final CheckContext context;

  ReferenceChecks(CheckContext context) {
    this.context = context;
  }

  void checkOnDemand(OnDemandFeatureView view, ClassLoader classLoader) {
    if (classLoader != null) {
      checkClass(view, classLoader);
    }
    for (int i = 0; i < view.inputs().size(); i++) {
      FeatureReference input = view.inputs().get(i);
      Optional<String> problem = resolve(input, false);
      if (problem.isPresent()) {
        context.report(view, "inputs[" + i + "]", "Cannot resolve input '" + input
            + "' of on-demand view '" + view.name() + "': " + problem.get());
      }
    }
    unique(view, view.requestFields(), "request", "request field");
    unique(view, view.outputs(), "outputs", "output");
  }

  void checkService(FeatureService service) {
    Map<String, FeatureReference> columns = new HashMap<>();
    for (int i = 0; i < service.features().size(); i++) {
      FeatureReference reference = service.features().get(i);
      String field = "features[" + i + "]";
      Optional<String> problem = resolve(reference, true);
      if (problem.isPresent()) {
        context.report(service, field, "Cannot resolve feature '" + reference
            + "' of feature service '" + service.name() + "': " + problem.get());
      }
      FeatureReference first = columns.putIfAbsent(reference.columnName(), reference);
      if (first != null) {
        context.report(service, field, "Cannot define feature service '" + service.name()
            + "': '" + first + "' and '" + reference + "' would both be column "
            + reference.columnName() + " (a service uses one version of a feature; keep one)");
      }
    }
  }

  /** Why {@code reference} does not resolve, or empty if it does or names a broken definition. */
  private Optional<String> resolve(FeatureReference reference, boolean onDemandAllowed) {
    String viewName = reference.view();
    Optional<FeatureView> view = context.repository().featureView(viewName);
    Optional<OnDemandFeatureView> onDemand = context.repository().onDemandView(viewName);
    if (context.isBroken("view", viewName)
        || context.isBrokenFeature(viewName, reference.feature())) {
      return Optional.empty();
    }
    if (view.isEmpty() && onDemand.isPresent()) {
      if (!onDemandAllowed) {
        return Optional.of("'" + viewName + "' is an on-demand view (inputs must be features of"
            + " feature views)");
      }
      return resolveOutput(reference, onDemand.get());
    }
    if (view.isEmpty()) {
      List<String> names = new ArrayList<>();
      context.repository().featureViews().forEach(other -> names.add(other.name()));
      if (onDemandAllowed) {
        context.repository().onDemandViews().forEach(other -> names.add(other.name()));
      }
      return Optional.of("there is no " + (onDemandAllowed ? "feature view or on-demand view"
          : "feature view") + " '" + viewName + "'" + Suggestions.hint(viewName, names));
    }
    Set<String> features = new TreeSet<>();
    view.get().features().forEach(feature -> features.add(feature.name()));
    if (!features.contains(reference.feature())) {
      return Optional.of("view '" + viewName + "' has no feature '" + reference.feature() + "'"
          + Suggestions.hint(reference.feature(), features));
    }
    if (reference.version().isPresent()
        && view.get().feature(reference.feature(), reference.version().get()).isEmpty()) {
      List<Integer> versions = view.get().features().stream()
          .filter(feature -> feature.name().equals(reference.feature()))
          .map(FeatureDefinition::version).sorted().toList();
      return Optional.of("feature '" + reference.feature() + "' of view '" + viewName
          + "' has no version " + reference.version().get() + " (it has "
          + (versions.size() == 1 ? "version " : "versions ")
          + String.join(", ", versions.stream().map(String::valueOf).toList()) + ")");
    }
    return Optional.empty();
  }

  private static Optional<String> resolveOutput(FeatureReference reference,
      OnDemandFeatureView view) {
    List<String> outputs = view.outputs().stream().map(SourceColumn::name).toList();
    if (!outputs.contains(reference.feature())) {
      return Optional.of("on-demand view '" + view.name() + "' has no output '"
          + reference.feature() + "'" + Suggestions.hint(reference.feature(), outputs));
    }
    if (reference.version().orElse(1) != 1) {
      return Optional.of("on-demand outputs have no versions (write " + view.name() + ":"
          + reference.feature() + ")");
    }
    return Optional.empty();
  }

  private void checkClass(OnDemandFeatureView view, ClassLoader classLoader) {
    String prefix = "Cannot load class '" + view.className() + "' of on-demand view '"
        + view.name() + "': ";
    Class<?> type;
    try {
      type = Class.forName(view.className().strip(), false, classLoader);
    } catch (ClassNotFoundException e) {
      context.report(view, "class", prefix
          + "it is not on the class path (add the jar that holds it, or fix the name)");
      return;
    } catch (LinkageError e) {
      context.report(view, "class", prefix + "it does not link (" + e + ")");
      return;
    }
    if (!OnDemandFunction.class.isAssignableFrom(type)) {
      context.report(view, "class", prefix + "it does not implement "
          + OnDemandFunction.class.getName() + " (implement it)");
    } else if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      context.report(view, "class", prefix + "it is abstract (name a concrete class)");
    } else if (!Modifier.isPublic(type.getModifiers()) || !hasPublicNoArgumentConstructor(type)) {
      context.report(view, "class", prefix
          + "it has no public no-argument constructor (make the class public and add one)");
    }
  }

  private static boolean hasPublicNoArgumentConstructor(Class<?> type) {
    try {
      type.getConstructor();
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private void unique(OnDemandFeatureView view, List<SourceColumn> columns, String field,
      String what) {
    Set<String> seen = new HashSet<>();
    for (SourceColumn column : columns) {
      if (!seen.add(column.name())) {
        context.report(view, field + "." + column.name(), "Cannot define on-demand view '"
            + view.name() + "': " + what + " '" + column.name() + "' is declared twice (keep one)");
      }
    }
  }
}
