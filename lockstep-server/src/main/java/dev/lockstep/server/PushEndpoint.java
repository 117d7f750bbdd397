package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonParser;
import dev.lockstep.wire.WireJson;
import com.fasterxml.jackson.core.JsonToken;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.RequestTooLargeException;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/push/{source}}: the body is a JSON array of event objects, one event object, or
 * NDJSON (one object per line; declared as {@code application/x-ndjson}, or recognised because the
 * body does not open an array and holds several objects). The whole batch goes to one {@link
 * FeatureClient#push} call; the answer is {@code {"accepted": n, "rejected": [{"index": i,
 * "reason": "..."}]}}.
 */
final class PushEndpoint implements Endpoint {
  private final FeatureClient client;
  private final ServerMetrics metrics;
  private final int maxEvents;

  PushEndpoint(FeatureClient client, ServerMetrics metrics, int maxEvents) {
    this.client = client;
    this.metrics = metrics;
    this.maxEvents = maxEvents;
  }

  @Override
  public String operation(List<String> parameters) {
    return "push events to '" + parameters.get(0) + "'";
  }

  @Override
  public Response handle(HttpServerExchange exchange, List<String> parameters, byte[] body) throws IOException {
    String source = parameters.get(0);
    RequestBody.Kind kind = RequestBody.kind(exchange);
    List<Map<String, Object>> events;
    try (JsonParser parser = RequestBody.parser(body)) {
      events = read(parser, kind);
    }
    PushResult result = client.push(source, events);
    metrics.pushed(source, result);
    return Response.ok(WireJson.pushResult(result));
  }

  private List<Map<String, Object>> read(JsonParser parser, RequestBody.Kind kind) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw HttpProblem.badRequest("Cannot read the request: the body is empty "
          + "(send a JSON array of events, one event object, or one object per line)");
    }
    List<Map<String, Object>> events = new ArrayList<>();
    if (token == JsonToken.START_ARRAY && kind == RequestBody.Kind.JSON) {
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.START_OBJECT) {
          throw WireJson.wrongType("element " + events.size() + " of the array", "an event object", token);
        }
        events.add(WireJson.readObject(parser, "event " + events.size()));
        checkCount(events.size());
      }
      token = parser.nextToken();
      if (token != null) {
        throw HttpProblem.badRequest("Cannot read the request: unexpected " + WireJson.describe(token)
            + " after the JSON array at line " + parser.currentTokenLocation().getLineNr());
      }
      return events;
    }
    // one object, or a sequence of objects: NDJSON
    for (; token != null; token = parser.nextToken()) {
      if (token != JsonToken.START_OBJECT) {
        throw WireJson.wrongType("line " + parser.currentTokenLocation().getLineNr(),
            "an event object", token);
      }
      events.add(WireJson.readObject(parser, "event " + events.size()));
      checkCount(events.size());
    }
    return events;
  }

  /** Refuses the push as soon as it holds more events than one push may (read no further). */
  private void checkCount(int events) {
    if (events > maxEvents) {
      throw new RequestTooLargeException("Cannot push events: the batch holds more than " + maxEvents
          + " events, the most one push may (split it into smaller pushes)");
    }
  }
}
