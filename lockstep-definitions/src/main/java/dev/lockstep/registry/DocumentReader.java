package dev.lockstep.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.CircuitBreakerPolicy;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.definition.Durations;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the JSON of {@link RegistryCodec} strictly: a missing or unknown field, a wrong type, an
 * unknown format name or a newer format version is a {@link CorruptDataException}, never a guess.
 */
final class DocumentReader {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private DocumentReader() {}

  static FeatureRepository read(byte[] content) {
    JsonNode root;
    try {
      root = MAPPER.readTree(content);
    } catch (IOException e) {
      String reason = e instanceof JsonProcessingException json
          ? json.getOriginalMessage() : e.getMessage();
      throw corrupt("it is not JSON (" + reason + ")");
    }
    if (root == null || !root.isObject()) {
      throw corrupt("it is not a JSON object");
    }
    Fields fields = new Fields(root, "the document");
    String format = fields.text("format");
    if (!format.equals(RegistryCodec.FORMAT)) {
      throw corrupt("its format is '" + format + "', not '" + RegistryCodec.FORMAT + "'");
    }
    JsonNode version = root.get("version");
    fields.used.add("version");
    if (version == null || !version.isInt()) {
      throw corrupt("it has no format version");
    }
    if (version.intValue() != RegistryCodec.VERSION) {
      throw corrupt("its format version " + version.intValue() + " is not "
          + RegistryCodec.VERSION + ", the one this Lockstep reads (upgrade Lockstep)");
    }
    try {
      FeatureRepository repository = new FeatureRepository(
          fields.list("entities", DocumentReader::entity),
          fields.list("sources", DocumentReader::source),
          fields.list("feature_views", DocumentReader::view),
          fields.list("on_demand_views", DocumentReader::onDemand),
          fields.list("feature_services", DocumentReader::service),
          root.has("contracts") ? fields.list("contracts", DocumentReader::contract) : List.of());
      fields.finish();
      return repository;
    } catch (CorruptDataException e) {
      throw e;
    } catch (LockstepException | IllegalArgumentException e) {
      throw corrupt("it holds an invalid definition (" + e.getMessage() + ")");
    }
  }

  private static DataContract contract(Fields fields) {
    List<QualityRule> rules = fields.list("rules", DocumentReader::rule);
    Optional<CircuitBreakerPolicy> breaker = Optional.empty();
    if (fields.node.has("circuit_breaker")) {
      Fields policy = fields.object("circuit_breaker");
      breaker = Optional.of(new CircuitBreakerPolicy(policy.number("max_failure_rate"),
          Duration.ofMillis((long) policy.number("interval_ms")), (long) policy.number("min_rows")));
      policy.finish();
    }
    return new DataContract(fields.text("source"), rules, breaker,
        fields.optionalText("description").orElse(""));
  }

  private static QualityRule rule(Fields fields) {
    String kind = fields.text("kind");
    switch (kind) {
      case "not_null":
        return new QualityRule.NotNull(fields.text("column"));
      case "range":
        return new QualityRule.Range(fields.text("column"), optionalNumber(fields, "min"), optionalNumber(fields, "max"));
      case "allowed_values":
        return new QualityRule.AllowedValues(fields.text("column"), fields.texts("values"));
      case "pattern":
        return new QualityRule.Pattern(fields.text("column"), fields.text("regex"));
      case "unique":
        return new QualityRule.Unique(fields.texts("columns"));
      case "freshness":
        return new QualityRule.Freshness(Duration.ofMillis((long) fields.number("max_age_ms")));
      case "volume":
        return new QualityRule.Volume(optionalLong(fields, "min"), optionalLong(fields, "max"));
      default:
        throw corrupt("rule kind '" + kind + "' is unknown (was it written by a newer Lockstep?)");
    }
  }

  private static OptionalDouble optionalNumber(Fields fields, String name) {
    return fields.node.has(name) ? OptionalDouble.of(fields.number(name)) : OptionalDouble.empty();
  }

  private static OptionalLong optionalLong(Fields fields, String name) {
    return fields.node.has(name) ? OptionalLong.of((long) fields.number(name)) : OptionalLong.empty();
  }

  private static Entity entity(Fields fields) {
    return new Entity(fields.text("name"), fields.texts("join_keys"),
        fields.optionalText("description").orElse(""));
  }

  private static Source source(Fields fields) {
    String format = fields.text("format");
    Optional<String> zone = fields.optionalText("zone");
    try {
      return new Source(fields.text("name"), SourceFormat.forName(format),
          fields.optionalText("path").orElse(""), fields.text("entity"), fields.texts("keys"),
          fields.text("event_time"), zone.map(ZoneId::of), fields.optionalText("ingest_time"),
          fields.list("columns", DocumentReader::column),
          fields.optionalText("max_future").map(Durations::parse).orElse(Source.DEFAULT_MAX_FUTURE));
    } catch (DateTimeException e) {
      throw corrupt("zone '" + zone.orElse("") + "' is unknown to this JVM");
    }
  }

  private static FeatureView view(Fields fields) {
    return new FeatureView(fields.text("name"), fields.text("source"),
        fields.optionalText("filter"), fields.optionalText("freshness").map(Durations::parse),
        fields.optionalText("max_lateness").map(Durations::parse),
        fields.list("features", DocumentReader::feature),
        fields.optionalText("description").orElse(""));
  }

  private static FeatureDefinition feature(Fields fields) {
    String name = fields.text("name");
    int version = fields.integer("version");
    Optional<String> latest = fields.optionalText("latest");
    if (latest.isPresent()) {
      return new LatestFeature(name, version, latest.get(),
          fields.optionalText("ttl").map(Durations::parse));
    }
    AggregationFunction function = AggregationFunction.forName(fields.text("aggregation"));
    Aggregation aggregation = new Aggregation(function, fields.optionalText("column").orElse(null),
        fields.node.has("k") ? fields.integer("k") : 0,
        fields.node.has("quantile") ? fields.number("quantile") : Double.NaN);
    String window = fields.text("window");
    return new WindowedFeature(name, version, aggregation, window.equals("lifetime")
        ? Window.lifetime()
        : Window.sliding(Durations.parse(window), Durations.parse(fields.text("hop"))));
  }

  private static OnDemandFeatureView onDemand(Fields fields) {
    return new OnDemandFeatureView(fields.text("name"), fields.text("class"),
        references(fields.texts("inputs")), fields.list("request", DocumentReader::column),
        fields.list("outputs", DocumentReader::column));
  }

  private static FeatureService service(Fields fields) {
    return new FeatureService(fields.text("name"), references(fields.texts("features")),
        fields.optionalText("description").orElse(""));
  }

  private static SourceColumn column(Fields fields) {
    String type = fields.text("type");
    for (ValueType value : ValueType.values()) {
      if (value.yamlName().equals(type)) {
        return new SourceColumn(fields.text("name"), value);
      }
    }
    throw corrupt("column type '" + type + "' is unknown");
  }

  private static List<FeatureReference> references(List<String> texts) {
    return texts.stream().map(FeatureReference::parse).toList();
  }

  static CorruptDataException corrupt(String problem) {
    return new CorruptDataException("Cannot read registry document: " + problem
        + (problem.endsWith(")") ? "" : " (restore the file from a backup, or re-apply)"));
  }

  /** The fields of one JSON object, each read at most once; {@link #finish} rejects the rest. */
  private static final class Fields {
    final JsonNode node;
    final String what;
    final Set<String> used = new HashSet<>();

    Fields(JsonNode node, String what) {
      this.node = node;
      this.what = what;
    }

    String text(String name) {
      return optionalText(name).orElseThrow(
          () -> corrupt(what + " has no field '" + name + "'"));
    }

    Optional<String> optionalText(String name) {
      JsonNode value = field(name);
      if (value == null) {
        return Optional.empty();
      }
      if (!value.isTextual()) {
        throw corrupt("field '" + name + "' of " + what + " is not a string");
      }
      return Optional.of(value.textValue());
    }

    int integer(String name) {
      JsonNode value = field(name);
      if (value == null || !value.isInt()) {
        throw corrupt("field '" + name + "' of " + what + " is not an integer");
      }
      return value.intValue();
    }

    double number(String name) {
      JsonNode value = field(name);
      if (value == null || !value.isNumber()) {
        throw corrupt("field '" + name + "' of " + what + " is not a number");
      }
      return value.doubleValue();
    }

    List<String> texts(String name) {
      return list(name, fields -> {
        throw new AssertionError();
      }, true);
    }

    <T> List<T> list(String name, Function<Fields, T> reader) {
      return list(name, reader, false);
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> list(String name, Function<Fields, T> reader, boolean texts) {
      JsonNode value = field(name);
      if (value == null || !value.isArray()) {
        throw corrupt("field '" + name + "' of " + what + " is not a list");
      }
      List<T> result = new ArrayList<>();
      for (JsonNode item : value) {
        if (texts) {
          if (!item.isTextual()) {
            throw corrupt("an item of '" + name + "' of " + what + " is not a string");
          }
          result.add((T) item.textValue());
          continue;
        }
        if (!item.isObject()) {
          throw corrupt("an item of '" + name + "' of " + what + " is not an object");
        }
        JsonNode itemName = item.get("name");
        Fields fields = new Fields(item, name + " item "
            + (itemName != null ? "'" + itemName.asText() + "'" : "#" + result.size()));
        result.add(reader.apply(fields));
        fields.finish();
      }
      return result;
    }

    /** The object under {@code name}, to be read and finished by the caller. */
    Fields object(String name) {
      JsonNode value = field(name);
      if (value == null || !value.isObject()) {
        throw corrupt("field '" + name + "' of " + what + " is not an object");
      }
      return new Fields(value, name + " of " + what);
    }

    private JsonNode field(String name) {
      used.add(name);
      return node.get(name);
    }

    void finish() {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!used.contains(name)) {
          throw corrupt(what + " has an unknown field '" + name
              + "' (was it written by a newer Lockstep?)");
        }
      }
    }
  }
}
