package dev.lockstep.core.lineage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node of the lineage graph: a definition from the registry, or a training set built from it.
 *
 * @param kind what it is
 * @param name its name, unique within its kind
 * @param attributes what else is known, sorted by key: for a training set {@code path}, {@code
 *     service}, {@code registry_version}, {@code created_at} and {@code rows}; empty for definitions
 */
public record LineageNode(Kind kind, String name, Map<String, Object> attributes) {

  /** The kinds of node, upstream first, with the names {@code kind:name} accepts for each. */
  public enum Kind {
    SOURCE("source", List.of("source")),
    FEATURE_VIEW("feature_view", List.of("feature_view", "view")),
    ON_DEMAND_VIEW("on_demand_view", List.of("on_demand_view", "on_demand")),
    FEATURE_SERVICE("feature_service", List.of("feature_service", "service")),
    TRAINING_SET("training_set", List.of("training_set"));

    private final String label;
    private final List<String> aliases;

    Kind(String label, List<String> aliases) {
      this.label = label;
      this.aliases = aliases;
    }

    /** The name printed and written in JSON: {@code source}, {@code feature_view}, ... */
    public String label() {
      return label;
    }

    /** The kind {@code text} names ({@code view} and {@code service} are short forms), if any. */
    public static Optional<Kind> forName(String text) {
      String lower = text.toLowerCase(Locale.ROOT);
      for (Kind kind : values()) {
        if (kind.aliases.contains(lower)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }

    /** Every accepted kind prefix, for messages. */
    static List<String> prefixes() {
      return List.of(values()).stream().flatMap(kind -> kind.aliases.stream()).toList();
    }
  }

  public LineageNode {
    attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /** A node without attributes. */
  public static LineageNode of(Kind kind, String name) {
    return new LineageNode(kind, name, Map.of());
  }

  /** {@code kind:name}, e.g. {@code feature_view:card_txn}: unique in a graph. */
  public String id() {
    return kind.label() + ":" + name;
  }

  /** {@code {id, kind, name, ...attributes}} for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", id());
    map.put("kind", kind.label());
    map.put("name", name);
    map.putAll(attributes);
    return map;
  }

  @Override
  public String toString() {
    return kind.label() + " " + name;
  }
}
