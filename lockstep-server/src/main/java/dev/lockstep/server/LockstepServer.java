package dev.lockstep.server;

import dev.lockstep.governance.AuditLog;
import dev.lockstep.governance.Authenticator;
import dev.lockstep.ops.ServingRuntime;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.core.config.LimitsConfig;
import dev.lockstep.registry.RegistryDocument;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.xnio.Options;

/**
 * The Lockstep HTTP server: online features, push ingestion, registry reads, health and Prometheus
 * metrics, as JSON over HTTP/1.1 with keep-alive (the API is described in {@code docs/http-api.md}).
 *
 * <pre>{@code
 * try (LockstepServer server = LockstepServer.builder()
 *     .featureClient(lockstep.client())
 *     .registry(registry::current)
 *     .port(6566)
 *     .build()
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Requests are routed on Undertow's I/O threads, where POST bodies are also read without
 * blocking (bounded, with a deadline) and health and readiness answered; feature reads then run on
 * threads of their own, everything else on Undertow's workers, so reads never queue behind pushes
 * waiting for their fsync. Every error is a JSON body {@code {"error": "...", "status": code}}; no
 * input stops the server ({@link LimitsConfig}).
 */
public final class LockstepServer implements AutoCloseable {
  /** The interface listened on unless told otherwise: this machine only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The port listened on unless told otherwise. */
  public static final int DEFAULT_PORT = 6566;


  private final Builder settings;
  private Undertow undertow;
  /** Audit entries between two signed ones. */
  static final int AUDIT_CHECKPOINT_EVERY = 1_000;
  /** The audit log this server opened (and closes), or null. */
  private AuditLog audit;

  /** The threads feature reads run on, apart from Undertow's workers (which pushes may block). */
  private java.util.concurrent.ExecutorService reads;
  private ServerMetrics metrics;
  private int port = -1;

  private LockstepServer(Builder settings) {
    this.settings = settings;
  }

  /** The operations routes, with what each does for error messages. */
  private static final Map<Route, String> OPERATIONS = Map.of(
      Route.STATUS, "read the status",
      Route.BREAKERS, "read the circuit breakers",
      Route.BREAKER_RESET, "reset the circuit breaker",
      Route.QUARANTINE, "list the quarantine",
      Route.QUARANTINE_REPLAY, "replay the quarantine",
      Route.LINEAGE, "read the lineage");

  /** A builder with the defaults: 127.0.0.1:6566, no registry, always healthy. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this server
   * @throws LockstepException if the address cannot be bound
   * @throws IllegalStateException if the server was started before
   */
  public synchronized LockstepServer start() {
    if (undertow != null) {
      throw new IllegalStateException("Cannot start the Lockstep server: it was started already");
    }
    if (settings.authenticator == null && !loopback(settings.host)) {
      throw new dev.lockstep.api.LockstepException("Cannot listen on " + settings.host + " without authentication:"
          + " anyone who reaches it could push data and read every feature (configure auth: in lockstep.yaml,"
          + " see docs/security.md, or listen on 127.0.0.1)");
    }
    metrics = new ServerMetrics(settings.meterBinder);
    Map<Route, Endpoint> endpoints = new EnumMap<>(Route.class);
    LimitsConfig limits = settings.limits;
    endpoints.put(Route.FEATURES, new FeaturesEndpoint(settings.featureClient, limits.maxBatchEntities()));
    endpoints.put(Route.PUSH, new PushEndpoint(settings.featureClient, metrics, limits.maxPushEvents()));
    RegistryEndpoint registry = new RegistryEndpoint(settings.registry);
    endpoints.put(Route.REGISTRY, registry);
    endpoints.put(Route.REGISTRY_KIND, registry);
    endpoints.put(Route.REGISTRY_NAME, registry);
    endpoints.put(Route.HEALTH, HealthEndpoint.liveness(settings.health));
    endpoints.put(Route.READY, HealthEndpoint.readiness(settings.readiness));
    for (Route route : OPERATIONS.keySet()) {
      Operation operation = settings.operations.getOrDefault(route, (parameters, query) -> {
        throw new HttpProblem(404, "Cannot " + OPERATIONS.get(route) + ": this server does not offer "
            + route.method() + " " + route.template());
      });
      endpoints.put(route, new OperationEndpoint(OPERATIONS.get(route), operation));
    }
    endpoints.put(Route.METRICS, new Endpoint() {
      @Override
      public String operation(List<String> parameters) {
        return "scrape metrics";
      }

      @Override
      public Response handle(HttpServerExchange exchange, List<String> parameters, byte[] body) {
        return new Response(200, ServerMetrics.CONTENT_TYPE, metrics.scrape());
      }
    });
    int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    int readTimeout = (int) Math.min(Integer.MAX_VALUE, limits.readTimeout().toMillis());
    reads = java.util.concurrent.Executors.newFixedThreadPool(Math.max(4, 2 * ioThreads), new java.util.concurrent.ThreadFactory() {
      private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

      @Override
      public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, "lockstep-reads-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      }
    });
    if (settings.auditDirectory != null) {
      audit = AuditLog.open(settings.auditDirectory, AUDIT_CHECKPOINT_EVERY);
    }
    Router router = new Router(endpoints, metrics, limits, reads, settings.authenticator, audit);
    metrics.inFlight(router::inFlight);
    Undertow server = Undertow.builder()
        .addHttpListener(settings.port, settings.host)
        .setIoThreads(ioThreads)
        .setWorkerThreads(settings.workerThreads > 0 ? settings.workerThreads : ioThreads * 8)
        .setSocketOption(Options.TCP_NODELAY, true)
        // a connection whose bytes stop coming is cut: headers, body, and idle keep-alive alike
        .setSocketOption(Options.READ_TIMEOUT, readTimeout)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, readTimeout)
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, readTimeout)
        .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
        // The router refuses larger bodies with a 413. Undertow's own bound, twice as high, only caps
        // how much of a refused body is drained before the connection is cut: draining lets a client
        // that sends its whole body still read the 413.
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 2 * limits.maxBodyBytes())
        .setHandler(router)
        .build();
    try {
      server.start();
    } catch (RuntimeException e) {
      metrics.close();
      metrics = null;
      reads.shutdown();
      if (audit != null) {
        audit.close();
        audit = null;
      }
      throw startFailure(e);
    }
    undertow = server;
    port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    return this;
  }

  private LockstepException startFailure(RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return new LockstepException("Cannot start the Lockstep server on " + settings.host + ":" + settings.port
            + ": " + cause.getMessage() + " (stop the process using the port, or choose another port)", e);
      }
    }
    return new LockstepException("Cannot start the Lockstep server on " + settings.host + ":" + settings.port
        + ": " + e.getMessage(), e);
  }

  /**
   * The port the server listens on: the one configured, or the one the system chose for port 0.
   *
   * @throws IllegalStateException if the server is not running
   */
  public synchronized int port() {
    if (undertow == null) {
      throw new IllegalStateException("Cannot tell the Lockstep server's port: it is not running (call start())");
    }
    return port;
  }

  /** The server's base URI, e.g. {@code http://127.0.0.1:6566}. */
  public URI uri() {
    String host = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
    return URI.create("http://" + host + ":" + port());
  }

  /** Stops serving and releases the port; the feature client is the caller's to close. */
  @Override
  public synchronized void close() {
    if (undertow != null) {
      undertow.stop();
      undertow = null;
      reads.shutdown();
      metrics.close();
      metrics = null;
      if (audit != null) {
        audit.close();
        audit = null;
      }
    }
  }

  /** Configures a {@link LockstepServer}; every setter returns this builder. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int workerThreads;
    private FeatureClient featureClient;
    private Supplier<Optional<RegistryDocument>> registry = Optional::empty;
    private Supplier<Map<String, Object>> health = () -> Map.of("up", true);
    private Supplier<Map<String, Object>> readiness = () -> Map.of("ready", true);
    private LimitsConfig limits = LimitsConfig.defaults();
    private Consumer<MeterRegistry> meterBinder = registry -> { };
    private Authenticator authenticator;
    private java.nio.file.Path auditDirectory;
    private Map<Route, Operation> operations = new EnumMap<>(Route.class);

    private Builder() {}

    /** The interface to listen on (default {@value #DEFAULT_HOST}; {@code 0.0.0.0} for every one). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port (default {@value #DEFAULT_PORT}); 0 lets the system choose, see {@link #port()}.
     *
     * @throws IllegalArgumentException outside 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("Cannot listen on port " + port + ": ports are 0 to 65535");
      }
      this.port = port;
      return this;
    }

    /** Threads that run requests (default 8 per I/O thread, one I/O thread per core, at least 2). */
    public Builder workerThreads(int workerThreads) {
      if (workerThreads < 1) {
        throw new IllegalArgumentException("Cannot run " + workerThreads + " worker threads: give at least 1");
      }
      this.workerThreads = workerThreads;
      return this;
    }

    /** What serves {@code /v1/features} and {@code /v1/push}; required. */
    public Builder featureClient(FeatureClient featureClient) {
      this.featureClient = Objects.requireNonNull(featureClient, "featureClient");
      return this;
    }

    /** The current registry document, or empty if nothing is applied (default: empty). */
    public Builder registry(Supplier<Optional<RegistryDocument>> registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The details {@code /health} shows; the boolean {@code "up"} decides between 200 UP and 503
     * DOWN (absent counts as down). Default: always up.
     */
    public Builder health(Supplier<Map<String, Object>> health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /**
     * The details {@code /ready} shows; the boolean {@code "ready"} decides between 200 READY and
     * 503 NOT_READY. Answered on an I/O thread: cheap, no I/O. Default: always ready.
     */
    public Builder readiness(Supplier<Map<String, Object>> readiness) {
      this.readiness = Objects.requireNonNull(readiness, "readiness");
      return this;
    }

    /**
     * Who may ask: every route but {@code /health} then needs an API key or a bearer token (401
     * otherwise). Without one the server listens on loopback addresses only.
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Keeps the audit log in {@code directory} (docs/security.md): every write, admin action and
     * refused request, chained by SHA-256 and signed every {@value #AUDIT_CHECKPOINT_EVERY}
     * entries. The server opens it at start and closes it when it stops.
     */
    public Builder auditLog(java.nio.file.Path directory) {
      this.auditDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** What one client may ask and how much may be in flight (default {@link LimitsConfig#defaults()}). */
    public Builder limits(LimitsConfig limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Serves a project: features and pushes from its online runtime, the registry, health and
     * readiness, the limits of its configuration, its metrics, and the operations routes ({@code
     * /v1/status}, {@code /v1/breakers}, {@code /v1/quarantine}, {@code /v1/lineage}) over {@code
     * runtime}. What {@code lockstep serve} runs; an application embeds a server the same way.
     */
    public Builder project(ServingRuntime runtime) {
      Objects.requireNonNull(runtime, "runtime");
      featureClient(runtime.online().client());
      registry(() -> runtime.lockstep().registry().current());
      health(runtime::health);
      readiness(runtime::readiness);
      limits(runtime.lockstep().config().limits());
      runtime.lockstep().config().auth().ifPresent(auth -> authenticator(Authenticator.of(auth)));
      auditLog(runtime.lockstep().dataDirectory().resolve("audit"));
      status((parameters, query) -> runtime.status());
      breakers((parameters, query) -> runtime.breakers());
      breakerReset((parameters, query) -> runtime.resetBreaker(parameters.get(0), "POST /v1/breakers"));
      quarantine((parameters, query) -> runtime.quarantine(parameters.get(0), query));
      quarantineReplay((parameters, query) -> runtime.replayQuarantine(parameters.get(0), query));
      lineage((parameters, query) -> runtime.lineage(parameters.get(0), query.get("direction")));
      return meterBinder(runtime::bindMetrics);
    }

    /** What {@code GET /v1/status} answers. */
    Builder status(Operation operation) {
      return operation(Route.STATUS, operation);
    }

    /** What {@code GET /v1/breakers} answers. */
    Builder breakers(Operation operation) {
      return operation(Route.BREAKERS, operation);
    }

    /** What {@code POST /v1/breakers/{source}/reset} does; its parameter is the source. */
    Builder breakerReset(Operation operation) {
      return operation(Route.BREAKER_RESET, operation);
    }

    /** What {@code GET /v1/quarantine/{source}} answers; its parameter is the source. */
    Builder quarantine(Operation operation) {
      return operation(Route.QUARANTINE, operation);
    }

    /** What {@code POST /v1/quarantine/{source}/replay} does; its parameter is the source. */
    Builder quarantineReplay(Operation operation) {
      return operation(Route.QUARANTINE_REPLAY, operation);
    }

    /** What {@code GET /v1/lineage/{name}} answers; its parameter is the name. */
    Builder lineage(Operation operation) {
      return operation(Route.LINEAGE, operation);
    }

    private Builder operation(Route route, Operation operation) {
      operations.put(route, Objects.requireNonNull(operation, "operation"));
      return this;
    }

    /** Called once at start with the server's meter registry, to bind the caller's own meters. */
    public Builder meterBinder(Consumer<MeterRegistry> meterBinder) {
      this.meterBinder = Objects.requireNonNull(meterBinder, "meterBinder");
      return this;
    }

    /**
     * The server, not yet started.
     *
     * @throws IllegalStateException if no feature client was given
     */
    public LockstepServer build() {
      if (featureClient == null) {
        throw new IllegalStateException("Cannot build the Lockstep server: no feature client (call featureClient(...))");
      }
      return new LockstepServer(copy());
    }

    private Builder copy() {
      Builder copy = new Builder();
      copy.host = host;
      copy.port = port;
      copy.workerThreads = workerThreads;
      copy.featureClient = featureClient;
      copy.registry = registry;
      copy.health = health;
      copy.readiness = readiness;
      copy.limits = limits;
      copy.authenticator = authenticator;
      copy.auditDirectory = auditDirectory;
      copy.meterBinder = meterBinder;
      copy.operations = new EnumMap<>(operations);
      return copy;
    }
  }

  /** Whether {@code host} names only loopback addresses (an unresolvable name does not). */
  static boolean loopback(String host) {
    try {
      java.net.InetAddress[] addresses = java.net.InetAddress.getAllByName(host);
      return addresses.length > 0 && java.util.Arrays.stream(addresses).allMatch(java.net.InetAddress::isLoopbackAddress);
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
