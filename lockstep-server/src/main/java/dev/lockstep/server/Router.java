package dev.lockstep.server;

import dev.lockstep.api.client.UnauthenticatedException;
import dev.lockstep.governance.AuditLog;
import dev.lockstep.governance.Authenticator;
import dev.lockstep.governance.Principal;
import dev.lockstep.core.config.LimitsConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.ServerConnection;
import io.undertow.io.Receiver;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * The root handler. On the I/O thread it matches the route, answers unknown routes (404) and wrong
 * methods (405), authenticates every request but {@code /health} when the server has an
 * {@link Authenticator} (401 otherwise), answers {@code /health} and {@code /ready} itself, applies the limits, and reads a
 * POST body without blocking; then it hands the request to a worker thread, where the endpoint may
 * block on the feature client or the registry. Every request is timed until its response is
 * complete.
 *
 * <p><b>Limits</b> ({@link LimitsConfig}), so that no client can take the server down: a client
 * address holds at most {@code max_connections_per_address} connections (429 beyond); at most
 * {@code max_in_flight_requests} requests are read or served at once (503 with {@code Retry-After}
 * beyond); a body larger than {@code max_body_mb} is refused (413); a body must arrive within
 * {@code read_timeout} (the connection is cut otherwise), so slow clients hold no worker thread and
 * no request for long; an answer larger than {@code max_response_mb} becomes a 413. Health and
 * readiness are exempt from all of them and never wait for a worker; metrics scrapes are exempt too.
 *
 * <p>Thread-safe.
 */
final class Router implements HttpHandler {
  private static final HttpString ALLOW = new HttpString("Allow");
  private static final HttpString RETRY_AFTER = new HttpString("Retry-After");
  private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
  private static final HttpString API_KEY = new HttpString(Authenticator.API_KEY_HEADER);
  private static final HttpString WWW_AUTHENTICATE = new HttpString("WWW-Authenticate");
  /** The principal of an authenticated request. */
  static final AttachmentKey<Principal> PRINCIPAL = AttachmentKey.create(Principal.class);
  private static final AttachmentKey<InetAddress> COUNTED = AttachmentKey.create(InetAddress.class);
  private static final byte[] NO_BODY = new byte[0];

  private final Map<Route, Endpoint> endpoints;
  private final ServerMetrics metrics;
  private final LimitsConfig limits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> connections = new ConcurrentHashMap<>();
  /** Where feature reads run: threads of their own, apart from the workers pushes block. */
  private final java.util.concurrent.Executor reads;

  /** Who may ask; null: anyone (a server on loopback only). */
  private final Authenticator authenticator;
  /** Per-caller request rates; null: no such limit. */
  private final RequestRates rates;
  /** Where writes, admin actions and refused requests are recorded; null: nowhere. */
  private final AuditLog audit;
  private static final HttpString REQUEST_ID = new HttpString("X-Request-Id");
  /**
   * Ids this server makes: unique per process start and request, without the SecureRandom a UUID
   * would cost every request.
   */
  private static final String REQUEST_ID_PREFIX = Long.toHexString(System.currentTimeMillis()) + "-";
  private static final java.util.concurrent.atomic.AtomicLong REQUESTS = new java.util.concurrent.atomic.AtomicLong();

  Router(Map<Route, Endpoint> endpoints, ServerMetrics metrics, LimitsConfig limits, java.util.concurrent.Executor reads,
      Authenticator authenticator, AuditLog audit) {
    this.authenticator = authenticator;
    this.audit = audit;
    this.rates = limits.maxRequestsPerSecond() == LimitsConfig.NO_RATE_LIMIT ? null
        : new RequestRates(limits.maxRequestsPerSecond());
    this.endpoints = new EnumMap<>(endpoints);
    this.metrics = metrics;
    this.limits = limits;
    this.reads = reads;
  }

  /**
   * Records the request in the audit log when it completes, if it writes (pushes, breaker resets,
   * quarantine replays: every POST but feature reads) or was refused (401, 403): who, what, on what, the status,
   * and its request id ({@code X-Request-Id}, given or made, and echoed).
   */
  private void audited(HttpServerExchange exchange, Route route, List<String> parameters) {
    String given = exchange.getRequestHeaders().getFirst(REQUEST_ID);
    String requestId = given != null && given.length() <= 128 ? given : REQUEST_ID_PREFIX + REQUESTS.incrementAndGet();
    exchange.getResponseHeaders().put(REQUEST_ID, requestId);
    exchange.addExchangeCompleteListener((done, next) -> {
      int status = done.getStatusCode();
      if (status == 401 || status == 403 || (route.method().equals("POST") && route != Route.FEATURES)) {
        Principal principal = done.getAttachment(PRINCIPAL);
        try {
          audit.append(principal == null ? "anonymous" : principal.name(),
              route.method() + " " + route.template(), parameters.isEmpty() ? "-" : String.join("/", parameters),
              status < 400 ? "ok " + status : "refused " + status, requestId);
        } catch (RuntimeException e) {
          System.err.println("lockstep: cannot audit " + route.template() + ": " + e.getMessage());
        }
      }
      next.proceed();
    });
  }

  /**
   * A request refused before its body was read cannot leave its connection reusable: the body's
   * bytes would be read as the next request. Say {@code Connection: close}, so a client does not
   * send its next request on a connection the server is about to close.
   */
  private static void refuseUnreadBody(HttpServerExchange exchange) {
    if (exchange.getRequestMethod().equalToString("POST")) {
      exchange.setPersistent(false);
    }
  }

  /** Requests being read or served now, for the metrics. */
  int inFlight() {
    return inFlight.get();
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
    if (audit != null) {
      audited(exchange, route, match.parameters());
    }
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
    if (authenticator != null && route != Route.HEALTH) {
      try {
        exchange.putAttachment(PRINCIPAL, authenticator.authenticate(
            exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.AUTHORIZATION),
            exchange.getRequestHeaders().getFirst(API_KEY)));
      } catch (UnauthenticatedException e) {
        refuseUnreadBody(exchange);
        exchange.getResponseHeaders().put(WWW_AUTHENTICATE, "Bearer realm=\"lockstep\"");
        send(exchange, Failures.error(401, e.getMessage()));
        return;
      }
    }
    Endpoint endpoint = endpoints.get(route);
    if (route == Route.HEALTH || route == Route.READY) {
      // cheap and non-blocking by contract: answered here, whatever the workers are doing
      send(exchange, answer(endpoint, exchange, match.parameters(), NO_BODY));
      return;
    }
    if (rates != null && route != Route.METRICS) {
      Principal principal = exchange.getAttachment(PRINCIPAL);
      String caller = principal != null ? "principal:" + principal.name()
          : "address:" + exchange.getSourceAddress().getAddress().getHostAddress();
      long wait = rates.take(caller, System.nanoTime());
      if (wait > 0) {
        refuseUnreadBody(exchange);
        send(exchange, Failures.error(429, "Cannot serve the request: " + (principal != null ? principal.name()
            : "this address") + " sent more than " + limits.maxRequestsPerSecond()
            + " requests in a second, the most one caller may (slow down)").withRetryAfter((int) Math.min(3600, wait)));
        return;
      }
    }
    if (route == Route.METRICS) {
      // a scrape is how an operator sees the overload: never shed
      exchange.dispatch(() -> send(exchange, answer(endpoint, exchange, match.parameters(), NO_BODY)));
      return;
    }
    if (tooManyConnections(exchange)) {
      exchange.setPersistent(false);
      send(exchange, Failures.error(429, "Cannot serve the request: this address has "
          + limits.maxConnectionsPerAddress() + " connections open, the most one client may (reuse connections,"
          + " or close some)").withRetryAfter(1));
      return;
    }
    if (inFlight.incrementAndGet() > limits.maxInFlightRequests()) {
      inFlight.decrementAndGet();
      refuseUnreadBody(exchange);
      send(exchange, Failures.error(503, "Cannot serve the request: " + limits.maxInFlightRequests()
          + " requests are in flight, the most this server takes at once (send it again in a second)")
          .withRetryAfter(1));
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    exchange.addExchangeCompleteListener((done, next) -> {
      release.run();
      next.proceed();
    });
    if (!route.method().equals("POST")) {
      exchange.dispatch(() -> send(exchange, answer(endpoint, exchange, match.parameters(), NO_BODY)));
      return;
    }
    receive(exchange, endpoint, match.parameters(), release);
  }

  /**
   * Reads the body on the I/O thread without blocking, then runs the endpoint on a worker: a client
   * that sends slowly holds a connection and its buffer for at most {@code read_timeout}, never a
   * worker thread.
   */
  private void receive(HttpServerExchange exchange, Endpoint endpoint, List<String> parameters, Runnable release) {
    String operation = endpoint.operation(parameters);
    try {
      RequestBody.kind(exchange);
      refuseCrossSite(exchange, operation);
    } catch (HttpProblem problem) {
      // Undertow drains the unread body (up to its bound) when the exchange ends, so the client
      // that is still sending it reads the answer
      send(exchange, Failures.response(operation, problem));
      return;
    }
    long declared = exchange.getRequestContentLength();
    if (declared > limits.maxBodyBytes()) {
      exchange.setPersistent(false);
      send(exchange, Failures.error(413, RequestBody.tooLarge(operation, limits.maxBodyBytes())));
      return;
    }
    AtomicBoolean received = new AtomicBoolean();
    // the body must arrive within the read timeout; the timer is cancelled as soon as it has, so a
    // busy server does not keep every answered exchange reachable until its timer fires
    XnioExecutor.Key timer = exchange.getIoThread().executeAfter(() -> {
      if (received.compareAndSet(false, true)) {
        // the body did not arrive in time: drop the connection, nothing to answer it with
        release.run();
        IoUtils.safeClose(exchange.getConnection());
      }
    }, limits.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
    exchange.getRequestReceiver().setMaxBufferSize((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBodyBytes()));
    exchange.getRequestReceiver().receiveFullBytes(
        (done, body) -> {
          if (received.compareAndSet(false, true)) {
            timer.remove();
            Runnable work = () -> send(done, answer(endpoint, done, parameters, body));
            if (endpoint instanceof FeaturesEndpoint) {
              done.dispatch(reads, work); // a bulkhead: reads never queue behind pushes waiting for an fsync
            } else {
              done.dispatch(work);
            }
          }
        },
        (failed, error) -> {
          if (received.compareAndSet(false, true)) {
            timer.remove();
            failed.setPersistent(false);
            boolean tooBig = error instanceof RequestTooBigException || error instanceof Receiver.RequestToLargeException;
            send(failed, tooBig
                ? Failures.error(413, RequestBody.tooLarge(operation, limits.maxBodyBytes()))
                : Failures.error(400, "Cannot " + operation + ": the request body could not be read (the"
                    + " connection failed while it was sent)"));
          }
        });
  }

  /**
   * A browser names the page a request comes from in {@code Origin}: a POST from a page of another
   * site (which would act with whatever network access the browser has) is refused. Clients that
   * are not browsers send no {@code Origin} and are not affected.
   */
  private static void refuseCrossSite(HttpServerExchange exchange, String operation) {
    String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
    String site = exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE);
    String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
    boolean sameOrigin = origin == null || (host != null && (origin.equalsIgnoreCase("http://" + host)
        || origin.equalsIgnoreCase("https://" + host)));
    if (!sameOrigin || (site != null && !site.equals("same-origin") && !site.equals("none"))) {
      throw new HttpProblem(403, "Cannot " + operation + ": the request comes from a web page of another site ("
          + Json.abbreviate(origin != null ? origin : "Sec-Fetch-Site: " + site) + "), and this server takes no"
          + " cross-site requests");
    }
  }

  private Response answer(Endpoint endpoint, HttpServerExchange exchange, List<String> parameters, byte[] body) {
    String operation = endpoint.operation(parameters);
    Response response;
    try {
      response = endpoint.handle(exchange, parameters, body);
    } catch (Throwable failure) { // NOPMD: the server answers whatever an endpoint throws
      return Failures.response(operation, failure);
    }
    if (response.body().length > limits.maxResponseBytes()) {
      return Failures.error(413, "Cannot " + operation + ": the answer is " + (response.body().length >> 20)
          + " MiB, more than the " + (limits.maxResponseBytes() >> 20) + " MiB a response may hold (ask for fewer"
          + " entities or features at a time)");
    }
    return response;
  }

  /**
   * Counts the exchange's connection against its address on its first request; whether the address
   * now has more open connections than it may.
   */
  private boolean tooManyConnections(HttpServerExchange exchange) {
    ServerConnection connection = exchange.getConnection();
    InetAddress address = connection.getAttachment(COUNTED);
    if (address == null) {
      InetSocketAddress source = exchange.getSourceAddress();
      if (source == null || source.getAddress() == null) {
        return false;
      }
      InetAddress counted = source.getAddress();
      connection.putAttachment(COUNTED, counted);
      connections.computeIfAbsent(counted, ignored -> new AtomicInteger()).incrementAndGet();
      connection.addCloseListener(closed -> connections.computeIfPresent(counted,
          (key, count) -> count.decrementAndGet() <= 0 ? null : count));
      address = counted;
    }
    AtomicInteger count = connections.get(address);
    return count != null && count.get() > limits.maxConnectionsPerAddress();
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
    if (response.retryAfterSeconds() > 0) {
      exchange.getResponseHeaders().put(RETRY_AFTER, response.retryAfterSeconds());
    }
    exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
  }
}
