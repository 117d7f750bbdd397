package dev.lockstep.registry;

import dev.lockstep.api.definition.DataContract;
import dev.lockstep.definition.Durations;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.registry.Change.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The changes from one pinned repository to another, kind by kind (entities, sources, feature views
 * each followed by its features, on-demand views, services), names in order. A changed definition
 * gives one line per changed field.
 */
final class Differ {
  private final List<Change> changes = new ArrayList<>();

  private Differ() {}

  static List<Change> changes(FeatureRepository before, FeatureRepository after) {
    Differ differ = new Differ();
    differ.compare("entity", before.entities(), after.entities(), Entity::name,
        Differ::entityFields, null);
    differ.compare("source", before.sources(), after.sources(), Source::name,
        Differ::sourceFields, differ::compareColumns);
    differ.compare("feature_view", before.featureViews(), after.featureViews(),
        FeatureView::name, Differ::viewFields, differ::compareFeatures);
    differ.compare("on_demand_view", before.onDemandViews(), after.onDemandViews(),
        OnDemandFeatureView::name, Differ::onDemandFields, null);
    differ.compare("feature_service", before.featureServices(), after.featureServices(),
        FeatureService::name, Differ::serviceFields, differ::compareReferences);
    differ.compare("contract", before.contracts(), after.contracts(), DataContract::source,
        Differ::contractFields, null);
    return List.copyOf(differ.changes);
  }

  private interface Members<T> {
    /** Adds the changes of a definition's members; {@code before} or {@code after} may be null. */
    void compare(String name, T before, T after);
  }

  private <T> void compare(String kind, List<T> before, List<T> after, Function<T, String> name,
      Function<T, Map<String, String>> fields, Members<T> members) {
    Map<String, T> old = byName(before, name);
    Map<String, T> now = byName(after, name);
    TreeSet<String> names = new TreeSet<>(old.keySet());
    names.addAll(now.keySet());
    for (String key : names) {
      T was = old.get(key);
      T is = now.get(key);
      if (was == null) {
        changes.add(new Change(Action.ADD, kind, key, ""));
      } else if (is == null) {
        changes.add(new Change(Action.REMOVE, kind, key, ""));
      } else {
        Meanings.differences(fields.apply(was), fields.apply(is))
            .forEach(detail -> changes.add(new Change(Action.CHANGE, kind, key, detail)));
      }
      if (members != null) {
        members.compare(key, was, is);
      }
    }
  }

  private void compareColumns(String source, Source before, Source after) {
    if (before == null || after == null) {
      return;
    }
    Map<String, SourceColumn> old = byName(before.columns(), SourceColumn::name);
    Map<String, SourceColumn> now = byName(after.columns(), SourceColumn::name);
    for (SourceColumn column : after.columns()) {
      SourceColumn was = old.get(column.name());
      if (was == null) {
        changes.add(new Change(Action.CHANGE, "source", source,
            "adds column " + column.name() + " " + column.type().yamlName()));
      } else if (was.type() != column.type()) {
        changes.add(new Change(Action.CHANGE, "source", source, "column " + column.name()
            + " " + was.type().yamlName() + " -> " + column.type().yamlName()));
      }
    }
    before.columns().stream().filter(column -> !now.containsKey(column.name())).forEach(column ->
        changes.add(new Change(Action.CHANGE, "source", source, "drops column " + column.name())));
  }

  private void compareFeatures(String view, FeatureView before, FeatureView after) {
    Map<String, FeatureDefinition> old = features(before);
    Map<String, FeatureDefinition> now = features(after);
    TreeSet<String> names = new TreeSet<>(old.keySet());
    names.addAll(now.keySet());
    for (String name : names) {
      FeatureDefinition was = old.get(name);
      FeatureDefinition is = now.get(name);
      String qualified = view + ":" + name;
      if (was == null) {
        changes.add(new Change(Action.ADD, "feature", qualified, Meanings.summary(is)));
      } else if (is == null) {
        changes.add(new Change(Action.REMOVE, "feature", qualified, ""));
      } else {
        Meanings.differences(Meanings.own(was), Meanings.own(is)).forEach(detail ->
            changes.add(new Change(Action.CHANGE, "feature", qualified, detail)));
      }
    }
  }

  private void compareReferences(String service, FeatureService before, FeatureService after) {
    if (before == null || after == null) {
      return;
    }
    List<FeatureReference> old = before.features();
    List<FeatureReference> now = after.features();
    now.stream().filter(reference -> !old.contains(reference)).forEach(reference -> changes.add(
        new Change(Action.CHANGE, "feature_service", service, "adds " + reference)));
    old.stream().filter(reference -> !now.contains(reference)).forEach(reference -> changes.add(
        new Change(Action.CHANGE, "feature_service", service, "drops " + reference)));
    List<FeatureReference> kept = now.stream().filter(old::contains).toList();
    if (!kept.equals(old.stream().filter(now::contains).toList())) {
      changes.add(new Change(Action.CHANGE, "feature_service", service,
          "features " + old + " -> " + now));
    }
  }

  private static Map<String, FeatureDefinition> features(FeatureView view) {
    return view == null ? Map.of() : byName(view.features(), FeatureDefinition::versionedName);
  }

  private static Map<String, String> entityFields(Entity entity) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("join_keys", entity.joinKeys().toString());
    fields.put("description", described(entity.description()));
    return fields;
  }

  private static Map<String, String> sourceFields(Source source) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("format", source.format().yamlName());
    fields.put("path", source.path().isEmpty() ? Meanings.NONE : source.path());
    fields.put("entity", source.entity());
    fields.put("keys", source.keyColumns().toString());
    fields.put("event_time", source.eventTimeColumn());
    fields.put("zone", source.zone().map(Object::toString).orElse(Meanings.NONE));
    fields.put("ingest_time", source.ingestTimeColumn().orElse(Meanings.NONE));
    fields.put("max_future", Durations.format(source.maxFuture()));
    return fields;
  }

  private static Map<String, String> viewFields(FeatureView view) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("source", view.source());
    fields.put("filter", view.filter().map(Meanings::quoted).orElse(Meanings.NONE));
    fields.put("freshness", Meanings.duration(view.freshness()));
    fields.put("max_lateness", Meanings.duration(view.maxLateness()));
    fields.put("description", described(view.description()));
    return fields;
  }

  private static Map<String, String> onDemandFields(OnDemandFeatureView view) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("class", view.className());
    fields.put("inputs", view.inputs().toString());
    fields.put("request", columns(view.requestFields()));
    fields.put("outputs", columns(view.outputs()));
    return fields;
  }

  /** A contract's rules and breaker; none changes what a feature means, so any may change freely. */
  private static Map<String, String> contractFields(DataContract contract) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (var rule : contract.rules()) {
      fields.put("rule " + rule.id(), ruleSummary(rule));
    }
    fields.put("circuit_breaker", contract.breaker().map(breaker -> "max_failure_rate " + breaker.maxFailureRate()
        + ", interval " + Durations.format(breaker.interval()) + ", min_rows " + breaker.minRows()).orElse(Meanings.NONE));
    fields.put("description", described(contract.description()));
    return fields;
  }

  private static String ruleSummary(dev.lockstep.api.definition.QualityRule rule) {
    if (rule instanceof dev.lockstep.api.definition.QualityRule.Range range) {
      return "min " + (range.min().isPresent() ? range.min().getAsDouble() : "-") + ", max "
          + (range.max().isPresent() ? range.max().getAsDouble() : "-");
    }
    if (rule instanceof dev.lockstep.api.definition.QualityRule.AllowedValues allowed) {
      return allowed.values().toString();
    }
    if (rule instanceof dev.lockstep.api.definition.QualityRule.Pattern pattern) {
      return Meanings.quoted(pattern.regex());
    }
    if (rule instanceof dev.lockstep.api.definition.QualityRule.Freshness freshness) {
      return "max age " + Durations.format(freshness.maxAge());
    }
    if (rule instanceof dev.lockstep.api.definition.QualityRule.Volume volume) {
      return "min " + (volume.min().isPresent() ? volume.min().getAsLong() : "-") + ", max "
          + (volume.max().isPresent() ? volume.max().getAsLong() : "-");
    }
    return "declared";
  }

  private static Map<String, String> serviceFields(FeatureService service) {
    return Map.of("description", described(service.description()));
  }

  private static String columns(List<SourceColumn> columns) {
    return columns.stream().map(column -> column.name() + " " + column.type().yamlName())
        .toList().toString();
  }

  private static String described(String description) {
    return description.isEmpty() ? Meanings.NONE : Meanings.quoted(description);
  }

  private static <T> Map<String, T> byName(List<T> values, Function<T, String> name) {
    Map<String, T> map = new LinkedHashMap<>();
    values.forEach(value -> map.putIfAbsent(name.apply(value), value));
    return map;
  }
}
