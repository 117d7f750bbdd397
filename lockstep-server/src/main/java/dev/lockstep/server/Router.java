package dev.lockstep.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The root handler. On the I/O thread it matches the route, answers unknown routes (404) and wrong
 * methods (405) at once, and hands everything else to a worker thread, where the endpoint may block
 * on the feature client or the registry. Every request is timed until its response is complete.
 */
final class Router implements HttpHandler {
  private static final HttpString ALLOW = new HttpString("Allow");

  private final Map<Route, Endpoint> endpoints;
  private final ServerMetrics metrics;

  Router(Map<Route, Endpoint> endpoints, ServerMetrics metrics) {
    this.endpoints = new EnumMap<>(endpoints);
    this.metrics = metrics;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    long start = System.nanoTime();
    Route.Match match = Route.match(exchange.getRelativePath());
    Route route = match.route();
    exchange.addExchangeCompleteListener((done, next) -> {
      metrics.record(route, done.getStatusCode(), System.nanoTime() - start);
      next.proceed();
    });
    if (route == Route.UNMATCHED) {
      send(exchange, Failures.error(404, "Cannot " + exchange.getRequestMethod() + " "
          + Json.abbreviate(exchange.getRequestPath()) + ": no such route (routes: " + Route.summary() + ")"));
      return;
    }
    if (!exchange.getRequestMethod().equalToString(route.method())) {
      exchange.getResponseHeaders().put(ALLOW, route.method());
      send(exchange, Failures.error(405, "Cannot " + exchange.getRequestMethod() + " " + route.template()
          + ": the method is not allowed (use " + route.method() + ")"));
      return;
    }
    Endpoint endpoint = endpoints.get(route);
    exchange.dispatch(() -> run(exchange, endpoint, match.parameters()));
  }

  private static void run(HttpServerExchange exchange, Endpoint endpoint, List<String> parameters) {
    Response response;
    try {
      exchange.startBlocking();
      response = endpoint.handle(exchange, parameters);
    } catch (Throwable failure) { // NOPMD: the server answers whatever an endpoint throws
      response = Failures.response(endpoint.operation(parameters), failure);
    }
    send(exchange, response);
  }

  private static void send(HttpServerExchange exchange, Response response) {
    if (exchange.isResponseStarted()) {
      // cannot happen with buffered responses; never send a second status line
      exchange.setPersistent(false);
      exchange.endExchange();
      return;
    }
    exchange.setStatusCode(response.status());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, response.contentType());
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.body().length);
    if (!exchange.isBlocking()) {
      exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
      return;
    }
    // Complete the response before ending the exchange, which drains what is left of the request:
    // a client still sending a refused body then reads the answer without waiting for the drain.
    try (OutputStream out = exchange.getOutputStream()) {
      out.write(response.body());
    } catch (IOException e) {
      exchange.setPersistent(false); // the client went away
    }
    exchange.endExchange();
  }
}
