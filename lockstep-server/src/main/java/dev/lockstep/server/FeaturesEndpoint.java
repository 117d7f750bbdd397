package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;

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
      request = FeatureRequestReader.read(parser, maxEntities);
    }
    if (request instanceof FeatureRequest) {
      FeatureVector vector = client.features((FeatureRequest) request);
      return Response.ok(Json.write(generator -> writeVector(generator, vector)));
    }
    List<FeatureVector> vectors = client.features((BatchFeatureRequest) request);
    return Response.ok(Json.write(generator -> {
      generator.writeStartObject();
      if (!vectors.isEmpty()) {
        generator.writeStringField("t", Json.instant(vectors.get(0).t()));
      }
      generator.writeArrayFieldStart("vectors");
      for (FeatureVector vector : vectors) {
        writeVector(generator, vector);
      }
      generator.writeEndArray();
      generator.writeEndObject();
    }));
  }

  static void writeVector(JsonGenerator generator, FeatureVector vector) throws IOException {
    generator.writeStartObject();
    generator.writeFieldName("entity");
    Json.writeAny(generator, vector.entity());
    generator.writeStringField("t", Json.instant(vector.t()));
    generator.writeObjectFieldStart("values");
    for (Map.Entry<String, Object> entry : vector.values().entrySet()) {
      generator.writeFieldName(entry.getKey());
      Json.writeFeatureValue(generator, entry.getKey(), entry.getValue());
    }
    generator.writeEndObject();
    generator.writeObjectFieldStart("statuses");
    for (Map.Entry<String, FeatureStatus> entry : vector.statuses().entrySet()) {
      generator.writeStringField(entry.getKey(), entry.getValue().name());
    }
    generator.writeEndObject();
    generator.writeEndObject();
  }
}
