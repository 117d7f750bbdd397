package dev.lockstep.server;

import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health} (liveness): 200 {@code {"status": "UP", ...details}} when the details say
 * {@code "up": true}, else 503 {@code {"status": "DOWN", ...details}}; 503 with an {@code error} if
 * the details cannot be had at all. {@code GET /ready} (readiness) alike, with the flag {@code
 * ready} and the statuses {@code READY} and {@code NOT_READY}. The flag itself is not repeated.
 * Answered on the I/O thread: the supplier must be cheap and must not block.
 */
final class HealthEndpoint implements Endpoint {
  private final Supplier<Map<String, Object>> health;
  private final String flag;
  private final String up;
  private final String down;
  private final String operation;

  private HealthEndpoint(Supplier<Map<String, Object>> health, String flag, String up, String down, String operation) {
    this.health = health;
    this.flag = flag;
    this.up = up;
    this.down = down;
    this.operation = operation;
  }

  static HealthEndpoint liveness(Supplier<Map<String, Object>> health) {
    return new HealthEndpoint(health, "up", "UP", "DOWN", "check health");
  }

  static HealthEndpoint readiness(Supplier<Map<String, Object>> readiness) {
    return new HealthEndpoint(readiness, "ready", "READY", "NOT_READY", "check readiness");
  }

  @Override
  public String operation(List<String> parameters) {
    return operation;
  }

  @Override
  public Response handle(HttpServerExchange exchange, List<String> parameters, byte[] body) {
    Map<String, Object> details;
    try {
      details = health.get();
    } catch (RuntimeException e) {
      return Response.json(503, Json.write(generator -> {
        generator.writeStartObject();
        generator.writeStringField("status", down);
        generator.writeStringField("error", "Cannot " + operation + ": " + e.getMessage());
        generator.writeEndObject();
      }));
    }
    boolean fine = details != null && Boolean.TRUE.equals(details.get(flag));
    return Response.json(fine ? 200 : 503, Json.write(generator -> {
      generator.writeStartObject();
      generator.writeStringField("status", fine ? up : down);
      if (details != null) {
        for (Map.Entry<String, Object> entry : details.entrySet()) {
          if (!entry.getKey().equals(flag) && !entry.getKey().equals("status")) {
            generator.writeFieldName(entry.getKey());
            Json.writeAny(generator, entry.getValue());
          }
        }
      }
      generator.writeEndObject();
    }));
  }
}
