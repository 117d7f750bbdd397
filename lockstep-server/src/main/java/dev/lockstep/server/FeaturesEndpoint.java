package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonParser;
import dev.lockstep.wire.WireJson;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /v1/features}: one entity ({@code "entity"}) answers with a vector,
 *
 * <pre>{@code {"entity": {...}, "t": "2026-11-21T10:00:00.123Z", "values": {...}, "statuses": {...}}}</pre>
 *
 * and a batch ({@code "entities"}) with {@code {"t": "...", "vectors": [...]}} in request order.
 * Values and statuses keep the vector's column order.
 */
final class FeaturesEndpoint implements Endpoint {
  private final FeatureClient client;
  private final int maxEntities;

  FeaturesEndpoint(FeatureClient client, int maxEntities) {
    this.client = client;
    this.maxEntities = maxEntities;
  }

  @Override
  public String operation(List<String> parameters) {
    return "get features";
  }

  @Override
  public Response handle(HttpServerExchange exchange, List<String> parameters, byte[] body) throws IOException {
    Object request;
    try (JsonParser parser = RequestBody.parser(body)) {
      request = WireJson.readRequest(parser, maxEntities);
    }
    if (request instanceof FeatureRequest single) {
      return Response.ok(WireJson.vector(client.features(single)));
    }
    return Response.ok(WireJson.vectors(client.features((BatchFeatureRequest) request)));
  }
}
