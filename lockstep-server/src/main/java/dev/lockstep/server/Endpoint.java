package dev.lockstep.server;

import io.undertow.server.HttpServerExchange;
import java.util.List;

/** The work behind one route, run on a worker thread where it may block. */
interface Endpoint {
  /**
   * What the endpoint does, for error messages: {@code "Cannot " + operation + ": ..."}.
   *
   * @param parameters the route's path parameters, in order
   */
  String operation(List<String> parameters);

  /**
   * Builds the response to the request, whose body was read already (empty for a GET).
   *
   * @throws Exception anything; {@link Failures} maps it to an error response
   */
  Response handle(HttpServerExchange exchange, List<String> parameters, byte[] body) throws Exception;
}
