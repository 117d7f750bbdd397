package dev.lockstep.definition;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.definition.YamlMapping.Scalar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one entry of a feature view's {@code features} list: a windowed aggregation ({@code
 * aggregation}, {@code column}, {@code window}, {@code hop}, {@code k}, {@code quantile}) or a
 * latest value ({@code latest}, {@code ttl}). Shape problems are reported here; names of columns
 * are resolved later, against the source, by {@link RepositoryValidator}.
 */
final class FeatureParser {
  static final List<String> KEYS =
      List.of("name", "aggregation", "column", "window", "hop", "k", "quantile", "latest", "ttl");
  private static final List<String> AGGREGATION_ONLY =
      List.of("aggregation", "column", "window", "hop", "k", "quantile");
  private static final Pattern VERSIONED = Pattern.compile("([^@]*)@v([1-9][0-9]{0,8})");

  /** A feature and where its fields were written ({@code column} also for {@code latest}). */
  record Parsed(FeatureDefinition feature, Location location, Map<String, Location> fields) {}

  private final YamlMapping map;
  private final String view;
  private final Map<String, Location> fields = new HashMap<>();

  private FeatureParser(YamlMapping map, String view) {
    this.map = map;
    this.view = view;
  }

  /**
   * The feature {@code node} defines, or empty if it has a problem (reported, and its name added to
   * {@code result.broken}).
   *
   * @param viewTtl the view's default TTL for latest features, if it declares one
   */
  static Optional<Parsed> parse(
      Node node, Path file, String view, Optional<Scalar> viewTtl, ParseResult result) {
    Optional<YamlMapping> map =
        YamlMapping.of(node, file, "feature of view '" + view + "'", result.problems);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    FeatureParser parser = new FeatureParser(map.get(), view);
    Optional<Parsed> parsed = parser.parse(viewTtl);
    if (parsed.isEmpty()) {
      parser.map.string("name").ifPresent(
          name -> result.broken.add(ParseResult.brokenFeature(view, name.split("@", 2)[0])));
    }
    return parsed;
  }

  private Optional<Parsed> parse(Optional<Scalar> viewTtl) {
    Optional<String> text = map.requiredString("name", "name: txn_count_5m");
    String name = text.orElse("?");
    map.describeAs("feature " + view + ":" + name);
    int version = 1;
    Matcher versioned = VERSIONED.matcher(name);
    if (versioned.matches()) {
      name = versioned.group(1);
      version = Integer.parseInt(versioned.group(2));
    } else if (name.contains("@")) {
      map.fail(map.location("name"),
          "name '" + name + "' has a malformed version (write it as name@v2)");
    }
    map.checkKeys(KEYS);
    boolean latest = map.has("latest");
    boolean aggregated = map.has("aggregation");
    if (latest && aggregated) {
      map.fail(map.location("latest"),
          "it has both 'aggregation' and 'latest' (a feature is either an aggregation or a latest"
              + " value; keep one)");
      return Optional.empty();
    }
    if (!latest && !aggregated) {
      map.fail("it has neither 'aggregation' nor 'latest' (add aggregation: count, window: 5m, or"
          + " latest: <column>)");
      return Optional.empty();
    }
    Optional<FeatureDefinition> feature =
        latest ? latestFeature(name, version, viewTtl) : windowedFeature(name, version);
    if (feature.isEmpty() || map.failed()) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(feature.get(), map.location(), fields));
  }

  private Optional<FeatureDefinition> latestFeature(
      String name, int version, Optional<Scalar> viewTtl) {
    for (String key : AGGREGATION_ONLY) {
      if (map.has(key)) {
        map.fail(map.location(key), "'" + key + "' applies to aggregations only (a latest feature"
            + " reads one column of the newest row; remove '" + key + "')");
      }
    }
    Optional<String> column = map.string("latest");
    fields.put("column", map.location("latest"));
    Optional<Duration> ttl = Optional.empty();
    if (map.has("ttl")) {
      fields.put("ttl", map.location("ttl"));
      ttl = duration("ttl");
    } else if (viewTtl.isPresent()) {
      fields.put("ttl", viewTtl.get().location());
      ttl = Optional.of(Durations.parse(viewTtl.get().text()));
    }
    if (column.isEmpty() || map.failed()) {
      return Optional.empty();
    }
    Optional<Duration> finalTtl = ttl;
    return build(() -> new LatestFeature(name, version, column.get(), finalTtl));
  }

  private Optional<FeatureDefinition> windowedFeature(String name, int version) {
    if (map.has("ttl")) {
      map.fail(map.location("ttl"), "'ttl' applies to latest features only (a windowed feature"
          + " forgets events as they leave its window; remove ttl)");
    }
    for (String key : List.of("aggregation", "column", "window", "hop", "k", "quantile")) {
      fields.put(key, map.location(key));
    }
    Optional<AggregationFunction> function = function();
    Optional<String> column = map.string("column");
    Optional<Integer> k = map.integer("k");
    Optional<Double> quantile = map.number("quantile");
    Optional<Window> window = window();
    if (function.isEmpty()) {
      return Optional.empty();
    }
    AggregationFunction fn = function.get();
    if (fn.needsColumn() && column.isEmpty() && !map.has("column")) {
      map.fail(fn.yamlName() + " needs a column (add column: <name of a source column>)");
    }
    if (!fn.needsColumn() && column.isPresent()) {
      map.fail(map.location("column"), "count counts events and reads no column (remove column, or"
          + " use count_non_null to count the non-null values of " + column.get() + ")");
    }
    boolean takesK = fn == AggregationFunction.FIRST_K || fn == AggregationFunction.LAST_K;
    if (takesK && k.isEmpty() && !map.has("k")) {
      map.fail(fn.yamlName() + " needs k, the number of values to keep (add k: 5)");
    } else if (takesK && k.isPresent() && (k.get() < 1 || k.get() > Aggregation.MAX_K)) {
      map.fail(map.location("k"),
          "k must be between 1 and " + Aggregation.MAX_K + ", got " + k.get());
    } else if (!takesK && map.has("k")) {
      map.fail(map.location("k"), "only first_k and last_k take k (remove it)");
    }
    boolean takesQuantile = fn == AggregationFunction.APPROX_PERCENTILE;
    if (takesQuantile && quantile.isEmpty() && !map.has("quantile")) {
      map.fail("approx_percentile needs a quantile (add quantile: 0.95)");
    } else if (takesQuantile && quantile.isPresent() && !(quantile.get() >= 0 && quantile.get() <= 1)) {
      map.fail(map.location("quantile"), "quantile must be between 0 and 1, got "
          + map.string("quantile").orElse("?") + " (0.95 is the 95th percentile)");
    } else if (!takesQuantile && map.has("quantile")) {
      map.fail(map.location("quantile"), "only approx_percentile takes a quantile (remove it)");
    }
    if (window.isEmpty() || map.failed()) {
      return Optional.empty();
    }
    Aggregation aggregation =
        new Aggregation(fn, column.orElse(null), k.orElse(0), quantile.orElse(Double.NaN));
    return build(() -> new WindowedFeature(name, version, aggregation, window.get()));
  }

  private Optional<AggregationFunction> function() {
    Optional<String> name = map.string("aggregation");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(AggregationFunction.forName(name.get().strip()));
    } catch (InvalidDefinitionException e) {
      List<String> names =
          Arrays.stream(AggregationFunction.values()).map(AggregationFunction::yamlName).toList();
      String hint = Suggestions.closest(name.get(), names)
          .map(match -> "did you mean '" + match + "'?")
          .orElse("use one of " + String.join(", ", names));
      map.fail(map.location("aggregation"),
          "aggregation '" + name.get() + "' is unknown (" + hint + ")");
      return Optional.empty();
    }
  }

  private Optional<Window> window() {
    Optional<String> text = map.requiredString("window", "window: 1h, or window: lifetime");
    Optional<Duration> hop = duration("hop");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.get().strip().equals("lifetime")) {
      if (map.has("hop")) {
        map.fail(map.location("hop"), "a lifetime window has no hop (remove hop)");
        return Optional.empty();
      }
      return Optional.of(Window.lifetime());
    }
    Optional<Duration> size = duration("window");
    if (size.isEmpty() || (map.has("hop") && hop.isEmpty())) {
      return Optional.empty();
    }
    if (hop.isPresent() && hop.get().compareTo(size.get()) > 0) {
      map.fail(map.location("hop"), "hop " + Durations.format(hop.get()) + " exceeds window "
          + Durations.format(size.get()) + " (use a hop of at most " + Durations.format(size.get())
          + ")");
      return Optional.empty();
    }
    return Optional.of(hop.isPresent() ? Window.sliding(size.get(), hop.get())
        : Window.sliding(size.get()));
  }

  /** The duration under {@code key}, if present and well formed. */
  private Optional<Duration> duration(String key) {
    Optional<String> text = map.string(key);
    try {
      return text.map(Durations::parse);
    } catch (InvalidDefinitionException e) {
      map.fail(map.location(key), "'" + key + "' must be a duration, got '" + text.get()
          + "' (write a number and a unit such as 90s, 5m, 1h, 7d, or ISO-8601 such as PT5M)");
      return Optional.empty();
    }
  }

  private interface Construction {
    FeatureDefinition build();
  }

  /** Builds the feature, reporting a rule the model enforces itself at the feature's line. */
  private Optional<FeatureDefinition> build(Construction construction) {
    try {
      return Optional.of(construction.build());
    } catch (InvalidDefinitionException e) {
      map.fail(e.getMessage().replaceFirst("^Cannot define [^:]*: ", ""));
      return Optional.empty();
    }
  }
}
