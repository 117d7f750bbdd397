package dev.lockstep.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.registry.RegistryCodec;
import dev.lockstep.registry.RegistryDocument;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/registry[/{kind}[/{name}]]}: the current registry document in the JSON of {@link
 * RegistryCodec}, with {@code registry_version} and {@code committed_at} added; one kind's list; or
 * one definition. The rendering of a document is kept until the registry moves to another version.
 */
final class RegistryEndpoint implements Endpoint {
  /** The kinds in the path, their key in the document, and their name in messages. */
  enum Kind {
    ENTITIES("entities", "entities", "entity"),
    SOURCES("sources", "sources", "source"),
    FEATURE_VIEWS("feature-views", "feature_views", "feature view"),
    FEATURE_SERVICES("feature-services", "feature_services", "feature service"),
    ON_DEMAND_VIEWS("on-demand-views", "on_demand_views", "on-demand view");

    final String path;
    final String key;
    final String singular;

    Kind(String path, String key, String singular) {
      this.path = path;
      this.key = key;
      this.singular = singular;
    }

    static Optional<Kind> forPath(String path) {
      return Arrays.stream(values()).filter(kind -> kind.path.equals(path)).findFirst();
    }
  }

  private record Rendered(long version, Instant committedAt, ObjectNode document, byte[] whole) {}

  private final Supplier<Optional<RegistryDocument>> registry;
  private final AtomicReference<Rendered> rendered = new AtomicReference<>();

  RegistryEndpoint(Supplier<Optional<RegistryDocument>> registry) {
    this.registry = registry;
  }

  @Override
  public String operation(List<String> parameters) {
    return "read the registry";
  }

  @Override
  public Response handle(HttpServerExchange exchange, List<String> parameters, byte[] body) throws IOException {
    Rendered current = current();
    if (parameters.isEmpty()) {
      return Response.ok(current.whole());
    }
    Kind kind = Kind.forPath(parameters.get(0)).orElseThrow(() -> new HttpProblem(404,
        "Cannot read the registry: there is no kind '" + parameters.get(0) + "' (kinds: "
            + Arrays.stream(Kind.values()).map(k -> k.path).collect(Collectors.joining(", ")) + ")"));
    JsonNode definitions = current.document().get(kind.key);
    if (parameters.size() == 1) {
      ObjectNode list = Json.MAPPER.createObjectNode();
      list.put("registry_version", current.version());
      list.put("committed_at", Json.instant(current.committedAt()));
      list.set(kind.key, definitions);
      return Response.ok(Json.MAPPER.writeValueAsBytes(list));
    }
    String name = parameters.get(1);
    List<String> names = new ArrayList<>();
    for (JsonNode definition : definitions) {
      String candidate = definition.path("name").asText();
      if (candidate.equals(name)) {
        return Response.ok(Json.MAPPER.writeValueAsBytes(definition));
      }
      names.add(candidate);
    }
    throw new HttpProblem(404, "Cannot read " + kind.singular + " '" + name + "': registry version "
        + current.version() + " has no such " + kind.singular + " (" + kind.path.replace('-', ' ') + ": "
        + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
  }

  private Rendered current() throws IOException {
    RegistryDocument document = registry.get().orElseThrow(() -> new HttpProblem(404,
        "Cannot read the registry: no definitions are applied yet (run `lockstep apply`)"));
    Rendered cached = rendered.get();
    if (cached != null && cached.version() == document.version() && cached.committedAt().equals(document.committedAt())) {
      return cached;
    }
    ObjectNode stored = (ObjectNode) Json.MAPPER.readTree(RegistryCodec.encode(document.repository()));
    ObjectNode whole = Json.MAPPER.createObjectNode();
    whole.set("format", stored.get("format"));
    whole.set("version", stored.get("version"));
    whole.put("registry_version", document.version());
    whole.put("committed_at", Json.instant(document.committedAt()));
    for (var field : stored.properties()) {
      if (!whole.has(field.getKey())) {
        whole.set(field.getKey(), field.getValue());
      }
    }
    Rendered fresh = new Rendered(document.version(), document.committedAt(), stored,
        Json.MAPPER.writeValueAsBytes(whole));
    rendered.set(fresh);
    return fresh;
  }
}
