package dev.lockstep.server;

import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health}: 200 {@code {"status": "UP", ...details}} when the details say {@code "up":
 * true}, else 503 {@code {"status": "DOWN", ...details}}; 503 with an {@code error} if the details
 * cannot be had at all. The {@code up} flag itself is not repeated.
 */
final class HealthEndpoint implements Endpoint {
  private final Supplier<Map<String, Object>> health;

  HealthEndpoint(Supplier<Map<String, Object>> health) {
    this.health = health;
  }

  @Override
  public String operation(List<String> parameters) {
    return "check health";
  }

  @Override
  public Response handle(HttpServerExchange exchange, List<String> parameters) {
    Map<String, Object> details;
    try {
      details = health.get();
    } catch (RuntimeException e) {
      return Response.json(503, Json.write(generator -> {
        generator.writeStartObject();
        generator.writeStringField("status", "DOWN");
        generator.writeStringField("error", "Cannot check health: " + e);
        generator.writeEndObject();
      }));
    }
    boolean up = details != null && Boolean.TRUE.equals(details.get("up"));
    return Response.json(up ? 200 : 503, Json.write(generator -> {
      generator.writeStartObject();
      generator.writeStringField("status", up ? "UP" : "DOWN");
      if (details != null) {
        for (Map.Entry<String, Object> entry : details.entrySet()) {
          if (!entry.getKey().equals("up") && !entry.getKey().equals("status")) {
            generator.writeFieldName(entry.getKey());
            Json.writeAny(generator, entry.getValue());
          }
        }
      }
      generator.writeEndObject();
    }));
  }
}
