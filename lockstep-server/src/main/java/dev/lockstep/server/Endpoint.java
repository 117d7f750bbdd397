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
   * Reads the request (blocking mode has been started) and builds the response.
   *
   * @throws Exception anything; {@link Failures} maps it to an error response
   */
  Response handle(HttpServerExchange exchange, List<String> parameters) throws Exception;
}
