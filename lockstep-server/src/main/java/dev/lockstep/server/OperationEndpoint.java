package dev.lockstep.server;

import io.undertow.server.HttpServerExchange;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An operations route: runs its {@link Operation} and writes the answer as JSON, 200. */
final class OperationEndpoint implements Endpoint {
  private final String what;
  private final Operation operation;

  OperationEndpoint(String what, Operation operation) {
    this.what = what;
    this.operation = operation;
  }

  @Override
  public String operation(List<String> parameters) {
    return what + (parameters.isEmpty() ? "" : " of '" + parameters.get(0) + "'");
  }

  @Override
  public Response handle(HttpServerExchange exchange, List<String> parameters, byte[] body) {
    Map<String, String> query = new LinkedHashMap<>();
    for (Map.Entry<String, Deque<String>> entry : exchange.getQueryParameters().entrySet()) {
      if (!entry.getValue().isEmpty()) {
        query.put(entry.getKey(), entry.getValue().getLast());
      }
    }
    Object answer = operation.run(parameters, query);
    return Response.json(200, Json.write(generator -> Json.writeAny(generator, answer)));
  }
}
