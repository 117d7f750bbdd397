package dev.lockstep.definition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads of one YAML mapping of a definition file. Every wrongly shaped value is reported to
 * {@link Problems} as {@code Cannot read <what>: ...} at the value's line, the read returns empty,
 * and {@link #failed()} becomes true: the caller then skips building the definition.
 */
final class YamlMapping {
  /** A scalar value and where it was written. */
  record Scalar(String text, Location location) {}

  /** A key of a mapping of scalars (such as {@code columns}) and its value. */
  record Pair(Scalar key, Scalar value) {}

  private final Path file;
  private final MappingNode node;
  private final Problems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final List<Map.Entry<Node, String>> keyProblems = new ArrayList<>();
  private String what;
  private boolean failed;

  private YamlMapping(Path file, MappingNode node, String what, Problems problems) {
    this.file = file;
    this.node = node;
    this.what = what;
    this.problems = problems;
  }

  /** The mapping {@code node} holds, or empty (and a problem) if it holds something else. */
  static Optional<YamlMapping> of(Node node, Path file, String what, Problems problems) {
    if (!(node instanceof MappingNode mapping)) {
      problems.add(
          location(file, node),
          "Cannot read " + what + ": it must be a mapping of keys to values, got "
              + describe(node) + " (write key: value lines, or {name: ...})");
      return Optional.empty();
    }
    YamlMapping result = new YamlMapping(file, mapping, what, problems);
    for (NodeTuple tuple : mapping.getValue()) {
      Node key = tuple.getKeyNode();
      if (!(key instanceof ScalarNode scalar)) {
        result.keyProblems.add(Map.entry(key, "a key must be a plain name, got " + describe(key)));
      } else if (result.entries.putIfAbsent(scalar.getValue(), tuple) != null) {
        result.keyProblems.add(
            Map.entry(key, "key '" + scalar.getValue() + "' appears twice (keep one)"));
      }
    }
    return Optional.of(result);
  }

  /** Names what is read, for later messages: {@code source 'payments'}. */
  void describeAs(String what) {
    this.what = what;
  }

  String what() {
    return what;
  }

  boolean failed() {
    return failed;
  }

  /** Where the mapping starts. */
  Location location() {
    return location(file, node);
  }

  /** Where the value of {@code key} starts, or the mapping's location if it is absent. */
  Location location(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? location() : location(file, tuple.getValueNode());
  }

  /**
   * Reports keys that are not names or appear twice, then (unless {@code allowed} is null) every
   * key not in {@code allowed}, with the closest allowed key as a hint. Call it once, after {@link
   * #describeAs}, so that messages name the definition. These problems do not make the mapping
   * {@link #failed()}: the definition is still built (from the first of repeated keys), so that
   * the checks of what refers to it still run.
   */
  void checkKeys(List<String> allowed) {
    keyProblems.forEach(problem -> report(location(file, problem.getKey()), problem.getValue()));
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      String key = entry.getKey();
      if (allowed != null && !allowed.contains(key)) {
        String hint =
            Suggestions.closest(key, allowed)
                .map(match -> "did you mean '" + match + "'?")
                .orElse("expected one of " + String.join(", ", allowed));
        report(location(file, entry.getValue().getKeyNode()),
            "unknown key '" + key + "' (" + hint + ")");
      }
    }
  }

  /** Whether {@code key} is present with a value other than null. */
  boolean has(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple != null && !isNull(tuple.getValueNode());
  }

  /** The scalar value of {@code key}, if present. */
  Optional<Scalar> scalar(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    Node value = entries.get(key).getValueNode();
    if (!(value instanceof ScalarNode scalar)) {
      fail(value, "'" + key + "' must be a single value, got " + describe(value));
      return Optional.empty();
    }
    return Optional.of(new Scalar(scalar.getValue(), location(file, value)));
  }

  /** The text of {@code key}, if present. */
  Optional<String> string(String key) {
    return scalar(key).map(Scalar::text);
  }

  /** The text of {@code key}; reports it missing, with {@code example} as the hint, if absent. */
  Optional<String> requiredString(String key, String example) {
    if (!has(key)) {
      fail(node, "'" + key + "' is missing (add " + example + ")");
      return Optional.empty();
    }
    return string(key);
  }

  /** The value of {@code key} as a whole number, if present. */
  Optional<Integer> integer(String key) {
    Optional<Scalar> scalar = scalar(key);
    try {
      return scalar.map(value -> Integer.parseInt(value.text().strip()));
    } catch (NumberFormatException e) {
      fail(entries.get(key).getValueNode(),
          "'" + key + "' must be a whole number, got '" + scalar.get().text() + "'");
      return Optional.empty();
    }
  }

  /** The value of {@code key} as a finite number, if present. */
  Optional<Double> number(String key) {
    Optional<Scalar> scalar = scalar(key);
    try {
      Optional<Double> value = scalar.map(text -> Double.parseDouble(text.text().strip()));
      if (value.isPresent() && value.get().isInfinite()) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      fail(entries.get(key).getValueNode(),
          "'" + key + "' must be a number, got '" + scalar.get().text() + "'");
      return Optional.empty();
    }
  }

  /** The list of single values of {@code key}, if present. */
  Optional<List<Scalar>> scalarList(String key, String example) {
    Optional<List<Node>> items = sequence(key, example);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<Scalar> scalars = new ArrayList<>();
    for (Node item : items.get()) {
      if (item instanceof ScalarNode scalar && !isNull(item)) {
        scalars.add(new Scalar(scalar.getValue(), location(file, item)));
      } else {
        fail(item, "the items of '" + key + "' must be single values, got " + describe(item));
        return Optional.empty();
      }
    }
    return Optional.of(scalars);
  }

  /** The nodes of the list under {@code key}, if present. */
  Optional<List<Node>> sequence(String key, String example) {
    if (!has(key)) {
      return Optional.empty();
    }
    Node value = entries.get(key).getValueNode();
    if (!(value instanceof SequenceNode sequence)) {
      fail(value, "'" + key + "' must be a list, got " + describe(value) + " (write " + example + ")");
      return Optional.empty();
    }
    return Optional.of(sequence.getValue());
  }

  /** The mapping under {@code key}, read as part of this definition, if present. */
  Optional<YamlMapping> mapping(String key, String example) {
    if (!has(key)) {
      return Optional.empty();
    }
    Node value = entries.get(key).getValueNode();
    if (!(value instanceof MappingNode)) {
      fail(value, "'" + key + "' must be a mapping, got " + describe(value) + " (write " + example + ")");
      return Optional.empty();
    }
    return of(value, file, what, problems);
  }

  /** The keys present, in order. */
  List<String> keys() {
    return List.copyOf(entries.keySet());
  }

  /** The entries of the mapping of single values under {@code key}, in order, if present. */
  Optional<List<Pair>> scalarMap(String key, String example) {
    if (!has(key)) {
      return Optional.empty();
    }
    Node value = entries.get(key).getValueNode();
    if (!(value instanceof MappingNode)) {
      fail(value, "'" + key + "' must be a mapping, got " + describe(value) + " (write "
          + example + ")");
      return Optional.empty();
    }
    YamlMapping inner = of(value, file, what, problems).orElseThrow();
    inner.checkKeys(null);
    List<Pair> pairs = new ArrayList<>();
    for (NodeTuple tuple : inner.entries.values()) {
      Node item = tuple.getValueNode();
      if (!(item instanceof ScalarNode scalar) || isNull(item)) {
        fail(item, "the values of '" + key + "' must be single values, got " + describe(item)
            + " (write " + example + ")");
        return Optional.empty();
      }
      ScalarNode keyNode = (ScalarNode) tuple.getKeyNode();
      pairs.add(new Pair(
          new Scalar(keyNode.getValue(), location(file, keyNode)),
          new Scalar(scalar.getValue(), location(file, item))));
    }
    return Optional.of(pairs);
  }

  /** Reports a problem of this mapping at its own line and marks it failed. */
  void fail(String problem) {
    fail(node, problem);
  }

  /** Reports a problem at {@code location} and marks this mapping failed. */
  void fail(Location location, String problem) {
    failed = true;
    report(location, problem);
  }

  private void report(Location location, String problem) {
    problems.add(location, "Cannot read " + what + ": " + problem);
  }

  private void fail(Node at, String problem) {
    fail(location(file, at), problem);
  }

  static Location location(Path file, Node node) {
    return Location.of(file, node.getStartMark().getLine() + 1);
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  /** {@code a list}, {@code a mapping}, {@code nothing} or the quoted scalar. */
  static String describe(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (isNull(node)) {
      return "nothing";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }
}
