package dev.lockstep.registry;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.definition.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields that make up what a feature version computes, as display strings by field name, so
 * that two versions can be compared field by field: {@code window 1h -> 2h}.
 */
final class Meanings {
  static final String NONE = "none";

  private Meanings() {}

  /** The feature's own fields: aggregation, column, k, quantile, window, hop; or latest, ttl. */
  static Map<String, String> own(FeatureDefinition feature) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (feature instanceof LatestFeature latest) {
      fields.put("latest", latest.column());
      fields.put("ttl", latest.ttl().map(Durations::format).orElse(NONE));
      return fields;
    }
    WindowedFeature windowed = (WindowedFeature) feature;
    Aggregation aggregation = windowed.aggregation();
    fields.put("aggregation", aggregation.function().yamlName());
    fields.put("column", aggregation.column() == null ? NONE : aggregation.column());
    fields.put("k", aggregation.k() == 0 ? NONE : String.valueOf(aggregation.k()));
    fields.put("quantile",
        Double.isNaN(aggregation.quantile()) ? NONE : String.valueOf(aggregation.quantile()));
    boolean lifetime = windowed.window().isLifetime();
    fields.put("window", lifetime ? "lifetime" : Durations.format(windowed.window().size()));
    fields.put("hop", lifetime ? NONE : Durations.format(windowed.window().hop()));
    return fields;
  }

  /**
   * Everything {@code feature} of {@code view} computes from: its own fields, its view's source,
   * filter and max lateness, its source's entity, keys, time columns and zone, and its column's
   * type. The view's freshness is not part of it: it bounds how old served values may be, not what
   * they are.
   */
  static Map<String, String> full(FeatureRepository repository, FeatureView view,
      FeatureDefinition feature) {
    Map<String, String> fields = own(feature);
    fields.put("view source", view.source());
    fields.put("view filter", view.filter().map(Meanings::quoted).orElse(NONE));
    fields.put("view max_lateness", duration(view.maxLateness()));
    Optional<Source> source = repository.source(view.source());
    source.ifPresent(found -> {
      fields.putAll(sourceMeaning(found));
      String column = feature instanceof LatestFeature latest
          ? latest.column() : ((WindowedFeature) feature).aggregation().column();
      if (column != null) {
        fields.put("column type", found.column(column)
            .map(typed -> typed.type().yamlName()).orElse(NONE));
      }
    });
    return fields;
  }

  /** The source fields that change the meaning of its features (not its path, nor new columns). */
  static Map<String, String> sourceMeaning(Source source) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("source entity", source.entity());
    fields.put("source keys", source.keyColumns().toString());
    fields.put("source event_time", source.eventTimeColumn());
    fields.put("source ingest_time", source.ingestTimeColumn().orElse(NONE));
    fields.put("source zone", source.zone().map(Object::toString).orElse(NONE));
    fields.put("source max_future", Durations.format(source.maxFuture()));
    return fields;
  }

  /** {@code field old -> new} for every field whose value differs; a missing field is none. */
  static List<String> differences(Map<String, String> before, Map<String, String> after) {
    Set<String> names = new LinkedHashSet<>(before.keySet());
    names.addAll(after.keySet());
    List<String> differences = new ArrayList<>();
    for (String name : names) {
      String old = before.getOrDefault(name, NONE);
      String now = after.getOrDefault(name, NONE);
      if (!old.equals(now)) {
        differences.add(name + " " + old + " -> " + now);
      }
    }
    return differences;
  }

  /** A one-line summary of a feature: {@code mean(amount) over 1h/1m}, {@code latest(x) ttl 7d}. */
  static String summary(FeatureDefinition feature) {
    if (feature instanceof LatestFeature latest) {
      return "latest(" + latest.column() + ")"
          + latest.ttl().map(ttl -> " ttl " + Durations.format(ttl)).orElse("");
    }
    WindowedFeature windowed = (WindowedFeature) feature;
    return windowed.aggregation() + " over " + windowed.window();
  }

  /** The duration in its largest whole unit, or none. */
  static String duration(Optional<Duration> duration) {
    return duration.map(Durations::format).orElse(NONE);
  }

  static String quoted(String text) {
    return "'" + text + "'";
  }
}
