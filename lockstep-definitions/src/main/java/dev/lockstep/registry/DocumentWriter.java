package dev.lockstep.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.Aggregation;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureDefinition;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.LatestFeature;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.WindowedFeature;
import dev.lockstep.definition.Durations;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a pinned repository as the canonical JSON of {@link RegistryCodec}: fields in a fixed
 * order, absent optional fields left out, durations in their largest whole unit ({@code 30d}),
 * two-space indentation, {@code \n} line ends and a final newline. The same repository always gives
 * the same bytes.
 */
final class DocumentWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER = new ObjectMapper().writer(
      new DefaultPrettyPrinter(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private DocumentWriter() {}

  static byte[] write(FeatureRepository repository) {
    ObjectNode root = NODES.objectNode();
    root.put("format", RegistryCodec.FORMAT);
    root.put("version", RegistryCodec.VERSION);
    ArrayNode entities = root.putArray("entities");
    repository.entities().forEach(entity -> entities.add(entity(entity)));
    ArrayNode sources = root.putArray("sources");
    repository.sources().forEach(source -> sources.add(source(source)));
    ArrayNode views = root.putArray("feature_views");
    repository.featureViews().forEach(view -> views.add(view(view)));
    ArrayNode onDemand = root.putArray("on_demand_views");
    repository.onDemandViews().forEach(view -> onDemand.add(onDemand(view)));
    ArrayNode services = root.putArray("feature_services");
    repository.featureServices().forEach(service -> services.add(service(service)));
    if (!repository.contracts().isEmpty()) {
      // only when there are any, so documents of repositories without contracts keep their bytes
      ArrayNode contracts = root.putArray("contracts");
      repository.contracts().forEach(contract -> contracts.add(contract(contract)));
    }
    try {
      return (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write registry document: " + e.getMessage(), e);
    }
  }

  private static ObjectNode contract(DataContract contract) {
    ObjectNode node = NODES.objectNode();
    node.put("source", contract.source());
    ArrayNode rules = node.putArray("rules");
    for (QualityRule rule : contract.rules()) {
      ObjectNode item = rules.addObject();
      if (rule instanceof QualityRule.NotNull notNull) {
        item.put("kind", "not_null").put("column", notNull.column());
      } else if (rule instanceof QualityRule.Range range) {
        item.put("kind", "range").put("column", range.column());
        range.min().ifPresent(min -> item.put("min", min));
        range.max().ifPresent(max -> item.put("max", max));
      } else if (rule instanceof QualityRule.AllowedValues allowed) {
        item.put("kind", "allowed_values").put("column", allowed.column());
        strings(item.putArray("values"), allowed.values());
      } else if (rule instanceof QualityRule.Pattern pattern) {
        item.put("kind", "pattern").put("column", pattern.column()).put("regex", pattern.regex());
      } else if (rule instanceof QualityRule.Unique unique) {
        item.put("kind", "unique");
        strings(item.putArray("columns"), unique.columns());
      } else if (rule instanceof QualityRule.Freshness freshness) {
        item.put("kind", "freshness").put("max_age_ms", freshness.maxAge().toMillis());
      } else if (rule instanceof QualityRule.Volume volume) {
        item.put("kind", "volume");
        volume.min().ifPresent(min -> item.put("min", min));
        volume.max().ifPresent(max -> item.put("max", max));
      }
    }
    contract.breaker().ifPresent(breaker -> node.putObject("circuit_breaker")
        .put("max_failure_rate", breaker.maxFailureRate())
        .put("interval_ms", breaker.interval().toMillis())
        .put("min_rows", breaker.minRows()));
    description(node, contract.description());
    return node;
  }

  private static ObjectNode entity(Entity entity) {
    ObjectNode node = NODES.objectNode();
    node.put("name", entity.name());
    strings(node.putArray("join_keys"), entity.joinKeys());
    description(node, entity.description());
    return node;
  }

  private static ObjectNode source(Source source) {
    ObjectNode node = NODES.objectNode();
    node.put("name", source.name());
    node.put("format", source.format().yamlName());
    if (!source.path().isEmpty()) {
      node.put("path", source.path());
    }
    node.put("entity", source.entity());
    strings(node.putArray("keys"), source.keyColumns());
    node.put("event_time", source.eventTimeColumn());
    source.zone().ifPresent(zone -> node.put("zone", zone.getId()));
    source.ingestTimeColumn().ifPresent(column -> node.put("ingest_time", column));
    columns(node.putArray("columns"), source.columns());
    if (!source.maxFuture().equals(Source.DEFAULT_MAX_FUTURE)) {
      node.put("max_future", Durations.format(source.maxFuture())); // absent: the default, old documents unchanged
    }
    return node;
  }

  private static ObjectNode view(FeatureView view) {
    ObjectNode node = NODES.objectNode();
    node.put("name", view.name());
    node.put("source", view.source());
    view.filter().ifPresent(filter -> node.put("filter", filter));
    view.freshness().ifPresent(freshness -> node.put("freshness", Durations.format(freshness)));
    view.maxLateness().ifPresent(lateness -> node.put("max_lateness", Durations.format(lateness)));
    description(node, view.description());
    ArrayNode features = node.putArray("features");
    view.features().forEach(feature -> features.add(feature(feature)));
    return node;
  }

  private static ObjectNode feature(FeatureDefinition feature) {
    ObjectNode node = NODES.objectNode();
    node.put("name", feature.name());
    node.put("version", feature.version());
    if (feature instanceof LatestFeature latest) {
      node.put("latest", latest.column());
      latest.ttl().ifPresent(ttl -> node.put("ttl", Durations.format(ttl)));
      return node;
    }
    WindowedFeature windowed = (WindowedFeature) feature;
    Aggregation aggregation = windowed.aggregation();
    node.put("aggregation", aggregation.function().yamlName());
    if (aggregation.column() != null) {
      node.put("column", aggregation.column());
    }
    if (aggregation.k() != 0) {
      node.put("k", aggregation.k());
    }
    if (!Double.isNaN(aggregation.quantile())) {
      node.put("quantile", aggregation.quantile());
    }
    Window window = windowed.window();
    if (window.isLifetime()) {
      node.put("window", "lifetime");
    } else {
      node.put("window", Durations.format(window.size()));
      node.put("hop", Durations.format(window.hop()));
    }
    return node;
  }

  private static ObjectNode onDemand(OnDemandFeatureView view) {
    ObjectNode node = NODES.objectNode();
    node.put("name", view.name());
    node.put("class", view.className());
    references(node.putArray("inputs"), view.inputs());
    columns(node.putArray("request"), view.requestFields());
    columns(node.putArray("outputs"), view.outputs());
    return node;
  }

  private static ObjectNode service(FeatureService service) {
    ObjectNode node = NODES.objectNode();
    node.put("name", service.name());
    references(node.putArray("features"), service.features());
    description(node, service.description());
    return node;
  }

  private static void description(ObjectNode node, String description) {
    if (!description.isEmpty()) {
      node.put("description", description);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void references(ArrayNode array, List<FeatureReference> references) {
    references.forEach(reference -> array.add(reference.toString()));
  }

  private static void columns(ArrayNode array, List<SourceColumn> columns) {
    for (SourceColumn column : columns) {
      ObjectNode node = array.addObject();
      node.put("name", column.name());
      node.put("type", column.type().yamlName());
    }
  }
}
