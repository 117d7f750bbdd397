package dev.lockstep.definition;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.CircuitBreakerPolicy;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.definition.YamlMapping.Pair;
import dev.lockstep.definition.YamlMapping.Scalar;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the definitions of one YAML document into a {@link ParseResult}: the top-level lists
 * {@code entities}, {@code sources}, {@code feature_views}, {@code on_demand_views} and {@code
 * feature_services}. A definition with a problem is reported and left out; names it refers to are
 * resolved later by {@link RepositoryValidator}.
 */
final class DefinitionParser {
  static final List<String> TOP_LEVEL =
      List.of("entities", "sources", "feature_views", "on_demand_views", "feature_services", "contracts");
  private static final List<String> CONTRACT_KEYS = List.of("source", "rules", "circuit_breaker", "description");
  private static final List<String> RULE_KINDS =
      List.of("not_null", "range", "allowed_values", "pattern", "unique", "freshness", "volume");
  private static final List<String> BREAKER_KEYS = List.of("max_failure_rate", "interval", "min_rows");
  private static final List<String> ENTITY_KEYS = List.of("name", "join_keys", "description");
  private static final List<String> SOURCE_KEYS = List.of("name", "format", "path", "entity",
      "keys", "event_time", "zone", "ingest_time", "max_future", "columns");
  private static final List<String> VIEW_KEYS = List.of("name", "source", "filter", "ttl",
      "freshness", "max_lateness", "description", "features");
  private static final List<String> ON_DEMAND_KEYS =
      List.of("name", "class", "inputs", "request", "outputs");
  private static final List<String> SERVICE_KEYS = List.of("name", "features", "description");
  private static final String TYPES = "long, double or string";

  private final Path file;
  private final ParseResult result;

  DefinitionParser(Path file, ParseResult result) {
    this.file = file;
    this.result = result;
  }

  /** Reads every definition of {@code root}, a document of the file; null for an empty one. */
  void parse(Node root) {
    if (root == null || YamlMapping.isNull(root)) {
      return;
    }
    String what = file.getFileName().toString();
    Optional<YamlMapping> top = YamlMapping.of(root, file, what, result.problems);
    if (top.isEmpty()) {
      return;
    }
    top.get().checkKeys(TOP_LEVEL);
    String example = "a list of definitions, each starting with '- name: ...'";
    top.get().sequence("entities", example).ifPresent(items -> items.forEach(this::entity));
    top.get().sequence("sources", example).ifPresent(items -> items.forEach(this::source));
    top.get().sequence("feature_views", example).ifPresent(items -> items.forEach(this::view));
    top.get().sequence("on_demand_views", example).ifPresent(items -> items.forEach(this::onDemand));
    top.get().sequence("feature_services", example).ifPresent(items -> items.forEach(this::service));
    top.get().sequence("contracts", "a list of contracts, each starting with '- source: ...'")
        .ifPresent(items -> items.forEach(this::contract));
  }

  private void entity(Node node) {
    Optional<YamlMapping> found = start(node, "entity", ENTITY_KEYS);
    if (found.isEmpty()) {
      return;
    }
    YamlMapping map = found.get();
    Optional<List<Scalar>> keys = map.scalarList("join_keys", "join_keys: [card_id]");
    if (keys.isEmpty() && !map.has("join_keys")) {
      map.fail("'join_keys' is missing (add join_keys: [card_id])");
    }
    Optional<String> description = map.string("description");
    finish(map, "entity", Map.of("join_keys", map.location("join_keys")), () -> new Entity(
        name(map), texts(keys.orElse(List.of())), description.orElse("")),
        result.builder::entity);
  }

  private void source(Node node) {
    Optional<YamlMapping> found = start(node, "source", SOURCE_KEYS);
    if (found.isEmpty()) {
      return;
    }
    YamlMapping map = found.get();
    Optional<SourceFormat> format = map.requiredString("format", "format: csv").flatMap(
        text -> format(map, text));
    Optional<String> path = map.string("path");
    Optional<String> entity = map.requiredString("entity", "entity: card");
    Optional<List<Scalar>> keys = map.scalarList("keys", "keys: [card_id]");
    if (keys.isEmpty() && !map.has("keys")) {
      map.fail("'keys' is missing (add keys: [card_id], the columns holding the entity's join keys)");
    }
    Optional<String> eventTime = map.requiredString("event_time", "event_time: ts");
    Optional<ZoneId> zone = map.string("zone").flatMap(text -> zone(map, text));
    Optional<String> ingestTime = map.string("ingest_time");
    Optional<Duration> maxFuture = positiveDuration(map, "max_future", "1m");
    Map<String, Location> fields = new HashMap<>();
    for (String key : SOURCE_KEYS) {
      fields.put(key, map.location(key));
    }
    List<SourceColumn> columns = new ArrayList<>();
    Optional<List<Pair>> pairs = map.scalarMap("columns", "{amount: double}");
    if (pairs.isEmpty() && !map.has("columns")) {
      map.fail("'columns' is missing (add columns: {card_id: string, amount: double})");
    }
    for (Pair pair : pairs.orElse(List.of())) {
      fields.put("columns." + pair.key().text(), pair.key().location());
      type(map, pair).ifPresent(type -> columns.add(column(map, pair, type)));
    }
    finish(map, "source", fields, () -> new Source(name(map), format.orElseThrow(),
        path.orElse(""), entity.orElseThrow(), texts(keys.orElseThrow()), eventTime.orElseThrow(),
        zone, ingestTime, columns, maxFuture.orElse(Source.DEFAULT_MAX_FUTURE)), result.builder::source);
  }

  private void view(Node node) {
    Optional<YamlMapping> found = start(node, "feature view", VIEW_KEYS);
    if (found.isEmpty()) {
      return;
    }
    YamlMapping map = found.get();
    String view = map.string("name").orElse("?");
    Optional<String> source = map.requiredString("source", "source: payments");
    Optional<String> filter = map.string("filter");
    Optional<String> description = map.string("description");
    Optional<Duration> freshness = positiveDuration(map, "freshness", "10m");
    Optional<Duration> maxLateness = positiveDuration(map, "max_lateness", "1h");
    Optional<Scalar> ttl = map.scalar("ttl");
    if (ttl.isPresent()) {
      try {
        Durations.parse(ttl.get().text());
      } catch (InvalidDefinitionException e) {
        map.fail(ttl.get().location(), "'ttl' must be a duration, got '" + ttl.get().text()
            + "' (write a number and a unit such as 1h or 7d)");
        ttl = Optional.empty();
      }
    }
    List<FeatureDefinition> features = new ArrayList<>();
    Map<String, Location> seen = new HashMap<>();
    List<FeatureParser.Parsed> parsedFeatures = new ArrayList<>();
    for (Node item : map.sequence("features", "features: [{name: txn_count_5m, ...}]")
        .orElse(List.of())) {
      Optional<FeatureParser.Parsed> parsed = FeatureParser.parse(item, file, view, ttl, result);
      if (parsed.isEmpty()) {
        continue;
      }
      FeatureDefinition feature = parsed.get().feature();
      Location first = seen.putIfAbsent(feature.versionedName(), parsed.get().location());
      if (first != null) {
        result.problems.add(parsed.get().location(), "Cannot define feature " + view + ":"
            + feature.versionedName() + ": view '" + view + "' already defines it at " + first
            + " (give a new meaning a new version, e.g. " + feature.name() + "@v"
            + (feature.version() + 1) + ")");
        continue;
      }
      features.add(feature);
      parsedFeatures.add(parsed.get());
    }
    Map<String, Location> fields = new HashMap<>();
    for (String key : VIEW_KEYS) {
      fields.put(key, map.location(key));
    }
    Optional<FeatureView> built = finish(map, "view", fields, () -> new FeatureView(view,
        source.orElseThrow(), filter, freshness, maxLateness, features, description.orElse("")),
        result.builder::featureView);
    built.ifPresent(ignored -> parsedFeatures.forEach(parsed ->
        result.locations.put(parsed.feature(), parsed.location(), parsed.fields())));
  }

  private void onDemand(Node node) {
    Optional<YamlMapping> found = start(node, "on-demand view", ON_DEMAND_KEYS);
    if (found.isEmpty()) {
      return;
    }
    YamlMapping map = found.get();
    Map<String, Location> fields = new HashMap<>();
    Optional<String> className = map.requiredString("class", "class: com.example.MyFeatures");
    fields.put("class", map.location("class"));
    List<FeatureReference> inputs = references(map, "inputs", fields);
    List<SourceColumn> request = typedColumns(map, "request", fields);
    List<SourceColumn> outputs = typedColumns(map, "outputs", fields);
    if (!map.has("outputs")) {
      map.fail("'outputs' is missing (add outputs: {ratio: double})");
    }
    finish(map, "view", fields, () -> new OnDemandFeatureView(name(map), className.orElseThrow(),
        inputs, request, outputs), result.builder::onDemandView);
  }

  private void service(Node node) {
    Optional<YamlMapping> found = start(node, "feature service", SERVICE_KEYS);
    if (found.isEmpty()) {
      return;
    }
    YamlMapping map = found.get();
    Map<String, Location> fields = new HashMap<>();
    List<FeatureReference> features = references(map, "features", fields);
    if (!map.has("features")) {
      map.fail("'features' is missing (add features: [view:feature, ...])");
    }
    Optional<String> description = map.string("description");
    finish(map, "service", fields, () -> new FeatureService(name(map), features,
        description.orElse("")), result.builder::featureService);
  }

  private void contract(Node node) {
    Optional<YamlMapping> found = YamlMapping.of(node, file, "contract", result.problems);
    if (found.isEmpty()) {
      return;
    }
    YamlMapping map = found.get();
    Optional<String> source = map.requiredString("source", "source: payments");
    source.ifPresent(name -> map.describeAs("contract of source '" + name + "'"));
    map.checkKeys(CONTRACT_KEYS);
    Map<String, Location> fields = new HashMap<>();
    fields.put("source", map.location("source"));
    List<QualityRule> rules = new ArrayList<>();
    boolean ok = true;
    List<Node> items = map.sequence("rules", "rules: [{not_null: [amount]}]").orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      Optional<YamlMapping> item = YamlMapping.of(items.get(i), file, map.what(), result.problems);
      if (item.isEmpty()) {
        ok = false;
        continue;
      }
      List<QualityRule> parsed = rules(item.get());
      ok &= !item.get().failed() && parsed != null;
      if (parsed != null) {
        // keyed by rule, as ContractChecks reports them: one item (not_null: [a, b]) may give several
        for (QualityRule rule : parsed) {
          fields.put("rules[" + rules.size() + "]", item.get().location());
          rules.add(rule);
        }
      }
    }
    Optional<CircuitBreakerPolicy> breaker = Optional.empty();
    Optional<YamlMapping> breakerMap = map.mapping("circuit_breaker", "circuit_breaker: {max_failure_rate: 0.05}");
    if (breakerMap.isPresent()) {
      fields.put("circuit_breaker", map.location("circuit_breaker"));
      breaker = breaker(breakerMap.get());
      ok &= breaker.isPresent();
    }
    Optional<String> description = map.string("description");
    if (!ok && !map.failed()) {
      map.string("source").ifPresent(name -> result.broken.add(ParseResult.brokenKey("contract", name)));
      return;
    }
    Optional<CircuitBreakerPolicy> policy = breaker;
    finish(map, "contract", fields, () -> new DataContract(source.orElseThrow(), rules, policy,
        description.orElse("")), result.builder::contract);
  }

  /** The rules of one item of a contract's rules (a list of columns gives one rule per column). */
  private List<QualityRule> rules(YamlMapping item) {
    List<String> kinds = item.keys();
    if (kinds.size() != 1 || !RULE_KINDS.contains(kinds.get(0))) {
      String got = kinds.isEmpty() ? "nothing" : String.join(", ", kinds);
      String hint = kinds.size() == 1
          ? Suggestions.closest(kinds.get(0), RULE_KINDS).map(match -> "did you mean '" + match + "'? ").orElse("")
          : "";
      item.fail("a rule must have exactly one of " + String.join(", ", RULE_KINDS) + ", got " + got
          + " (" + hint + "write e.g. - range: {column: amount, min: 0})");
      return null;
    }
    String kind = kinds.get(0);
    try {
      switch (kind) {
        case "not_null": {
          List<Scalar> columns = columnList(item, kind, "not_null: [amount, merchant]");
          return columns == null ? null : columns.stream()
              .<QualityRule>map(column -> new QualityRule.NotNull(column.text())).toList();
        }
        case "unique": {
          List<Scalar> columns = columnList(item, kind, "unique: [txn_id]");
          return columns == null ? null : List.of(new QualityRule.Unique(columns.stream().map(Scalar::text).toList()));
        }
        case "freshness":
          return positiveDuration(item, kind, "freshness: 1h")
              .<List<QualityRule>>map(age -> List.of(new QualityRule.Freshness(age))).orElse(null);
        default:
          break;
      }
      Optional<YamlMapping> args = item.mapping(kind, example(kind));
      if (args.isEmpty()) {
        return null;
      }
      YamlMapping arguments = args.get();
      QualityRule rule;
      switch (kind) {
        case "range":
          arguments.checkKeys(List.of("column", "min", "max"));
          rule = new QualityRule.Range(arguments.requiredString("column", "column: amount").orElse(null),
              optional(arguments.number("min")), optional(arguments.number("max")));
          break;
        case "allowed_values":
          arguments.checkKeys(List.of("column", "values"));
          rule = new QualityRule.AllowedValues(arguments.requiredString("column", "column: merchant").orElse(null),
              arguments.scalarList("values", "values: [a, b]").map(list -> list.stream().map(Scalar::text).toList())
                  .orElse(List.of()));
          break;
        case "pattern":
          arguments.checkKeys(List.of("column", "regex"));
          rule = new QualityRule.Pattern(arguments.requiredString("column", "column: card_id").orElse(null),
              arguments.requiredString("regex", "regex: 'c[0-9]+'").orElse(null));
          break;
        default:
          arguments.checkKeys(List.of("min", "max"));
          rule = new QualityRule.Volume(optionalLong(arguments.integer("min")), optionalLong(arguments.integer("max")));
          break;
      }
      return arguments.failed() ? null : List.of(rule);
    } catch (InvalidDefinitionException e) {
      if (!item.failed()) {
        // the rule's own message says what it is, as finish() reports a definition's
        result.problems.add(item.location(), e.getMessage());
      }
      return null;
    } catch (NullPointerException e) {
      if (!item.failed()) {
        item.fail("rule '" + kind + "' is incomplete (write " + example(kind) + ")");
      }
      return null;
    }
  }

  private static String example(String kind) {
    switch (kind) {
      case "range": return "range: {column: amount, min: 0, max: 10000}";
      case "allowed_values": return "allowed_values: {column: merchant, values: [m1, m2]}";
      case "pattern": return "pattern: {column: card_id, regex: 'c[0-9]+'}";
      default: return "volume: {min: 1, max: 1000000}";
    }
  }

  private static List<Scalar> columnList(YamlMapping item, String kind, String example) {
    return item.scalarList(kind, example).orElse(null);
  }

  private static java.util.OptionalDouble optional(Optional<Double> value) {
    return value.map(java.util.OptionalDouble::of).orElse(java.util.OptionalDouble.empty());
  }

  private static java.util.OptionalLong optionalLong(Optional<Integer> value) {
    return value.map(number -> java.util.OptionalLong.of(number)).orElse(java.util.OptionalLong.empty());
  }

  private Optional<CircuitBreakerPolicy> breaker(YamlMapping map) {
    map.checkKeys(BREAKER_KEYS);
    Optional<Double> rate = map.number("max_failure_rate");
    if (rate.isEmpty() && !map.has("max_failure_rate")) {
      map.fail("'max_failure_rate' is missing (add max_failure_rate: 0.05)");
    }
    Duration interval = positiveDuration(map, "interval", "5m").orElse(CircuitBreakerPolicy.DEFAULT_INTERVAL);
    long minRows = map.integer("min_rows").map(Integer::longValue).orElse(CircuitBreakerPolicy.DEFAULT_MIN_ROWS);
    if (map.failed()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new CircuitBreakerPolicy(rate.orElseThrow(), interval, minRows));
    } catch (InvalidDefinitionException e) {
      result.problems.add(map.location(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Opens a definition's mapping, reads its name and checks its keys. */
  private Optional<YamlMapping> start(Node node, String kind, List<String> keys) {
    Optional<YamlMapping> map = YamlMapping.of(node, file, kind, result.problems);
    map.ifPresent(found -> {
      found.requiredString("name", "name: <a lower-case name>")
          .ifPresent(name -> found.describeAs(kind + " '" + name + "'"));
      found.checkKeys(keys);
    });
    return map;
  }

  private static String name(YamlMapping map) {
    return map.string("name").orElseThrow();
  }

  /**
   * Builds the definition unless its mapping failed; a rule the model itself enforces is reported
   * at the definition's line. A definition that is not built is marked broken.
   */
  private <T> Optional<T> finish(YamlMapping map, String kind, Map<String, Location> fields,
      Supplier<T> construction, Consumer<T> sink) {
    Optional<T> built = Optional.empty();
    if (!map.failed()) {
      try {
        built = Optional.of(construction.get());
      } catch (InvalidDefinitionException e) {
        result.problems.add(map.location(), e.getMessage());
      }
    }
    if (built.isEmpty()) {
      map.string("name").ifPresent(name -> result.broken.add(ParseResult.brokenKey(kind, name)));
      return built;
    }
    result.locations.put(built.get(), map.location(), fields);
    sink.accept(built.get());
    return built;
  }

  private List<FeatureReference> references(YamlMapping map, String key,
      Map<String, Location> fields) {
    fields.put(key, map.location(key));
    List<FeatureReference> references = new ArrayList<>();
    List<Scalar> items = map.scalarList(key, key + ": [card_txn:txn_count_5m]").orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      Scalar item = items.get(i);
      fields.put(key + "[" + i + "]", item.location());
      try {
        references.add(FeatureReference.parse(item.text().strip()));
      } catch (InvalidDefinitionException e) {
        map.fail(item.location(), "'" + item.text() + "' is not a feature reference (write"
            + " view:feature or view:feature@v2, with lower-case names)");
      }
    }
    return references;
  }

  private List<SourceColumn> typedColumns(YamlMapping map, String key,
      Map<String, Location> fields) {
    fields.put(key, map.location(key));
    List<SourceColumn> columns = new ArrayList<>();
    for (Pair pair : map.scalarMap(key, key + ": {amount: double}").orElse(List.of())) {
      fields.put(key + "." + pair.key().text(), pair.key().location());
      type(map, pair).ifPresent(type -> columns.add(column(map, pair, type)));
    }
    return columns;
  }

  private static SourceColumn column(YamlMapping map, Pair pair, ValueType type) {
    try {
      return new SourceColumn(pair.key().text(), type);
    } catch (InvalidDefinitionException e) {
      map.fail(pair.key().location(),
          "'" + pair.key().text() + "' is not a valid column name (use letters, digits and '_')");
      return null;
    }
  }

  private static Optional<ValueType> type(YamlMapping map, Pair pair) {
    for (ValueType type : ValueType.values()) {
      if (type.yamlName().equals(pair.value().text().strip())) {
        return Optional.of(type);
      }
    }
    map.fail(pair.value().location(), "column '" + pair.key().text() + "' has unknown type '"
        + pair.value().text() + "' (use " + TYPES + ")");
    return Optional.empty();
  }

  /** The duration under {@code key}, if present; reports a malformed or non-positive one. */
  private static Optional<Duration> positiveDuration(YamlMapping map, String key, String example) {
    Optional<Scalar> scalar = map.scalar(key);
    if (scalar.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(scalar.get().text()));
    } catch (InvalidDefinitionException e) {
      map.fail(scalar.get().location(), "'" + key + "' must be a positive duration, got '"
          + scalar.get().text() + "' (write a number and a unit such as " + example + ")");
      return Optional.empty();
    }
  }

  private static Optional<SourceFormat> format(YamlMapping map, String text) {
    try {
      return Optional.of(SourceFormat.forName(text.strip()));
    } catch (InvalidDefinitionException e) {
      map.fail(map.location("format"), "format '" + text + "' is unknown (use one of "
          + Arrays.stream(SourceFormat.values()).map(SourceFormat::yamlName)
              .collect(Collectors.joining(", ")) + ")");
      return Optional.empty();
    }
  }

  private static Optional<ZoneId> zone(YamlMapping map, String text) {
    try {
      return Optional.of(ZoneId.of(text.strip()));
    } catch (DateTimeException e) {
      map.fail(map.location("zone"), "zone '" + text
          + "' is unknown (write an IANA zone such as Europe/Paris, or UTC)");
      return Optional.empty();
    }
  }

  private static List<String> texts(List<Scalar> scalars) {
    return scalars.stream().map(scalar -> scalar.text().strip()).toList();
  }
}
