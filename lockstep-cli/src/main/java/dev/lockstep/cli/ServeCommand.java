package dev.lockstep.cli;

import dev.lockstep.ops.ServingRuntime;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.server.LockstepServer;
import dev.lockstep.ops.drift.DriftMonitor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep serve}: the online half in one process — streaming ingestion (push API into the
 * durable event log, applied to the RocksDB online store and appended to the offline tables) and
 * the HTTP API — until interrupted. Stopping it (Ctrl-C, SIGTERM) appends what the log holds to the
 * offline tables before exiting.
 */
@Command(
    name = "serve",
    description = {
      "Serve features over HTTP and accept pushed events until stopped (Ctrl-C).",
      "Endpoints: POST /v1/features, POST /v1/push/{source}, GET /v1/registry, GET /v1/status, GET /v1/breakers,",
      "POST /v1/breakers/{source}/reset, GET /v1/quarantine/{source}, POST /v1/quarantine/{source}/replay,",
      "GET /v1/lineage/{name}, GET /health, GET /metrics."
    })
final class ServeCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Option(names = "--host", defaultValue = LockstepServer.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "6566", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--log-features", paramLabel = "SERVICE", split = ",",
      description = "Log every vector served for these feature services, for lockstep replay.")
  List<String> loggedServices = List.of();

  @Option(names = "--parity-interval", paramLabel = "DURATION",
      description = "How often vectors logged with --log-features are rebuilt offline and compared (30s, 5m"
          + " or ISO-8601 PT30S; default: monitoring.parity_interval of lockstep.yaml, or 60 s).")
  Duration parityInterval;

  @Option(names = "--tail", paramLabel = "SOURCE=FILE",
      description = "Follow a growing file of JSON lines into a source (repeatable); exactly once across restarts.")
  List<String> tails = List.of();

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM and Ctrl-C stop the server here, before the JVM shuts down: closing appends the last
    // streamed events and logged vectors to Iceberg, whose worker pool a JVM shutdown already stops.
    for (String signal : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), ignored -> stopped.countDown());
    }
    try (Lockstep lockstep = root.project.open(); Serving serving = Serving.start(lockstep, host, port, loggedServices,
        parityInterval != null ? parityInterval : lockstep.config().monitoring().parityInterval())) {
      for (String tail : tails) {
        int equals = tail.indexOf('=');
        if (equals <= 0) {
          throw new dev.lockstep.api.LockstepException("Cannot tail '" + tail + "': write SOURCE=FILE, e.g. payments=live.jsonl");
        }
        serving.online().tail(tail.substring(0, equals), java.nio.file.Path.of(tail.substring(equals + 1)));
      }
      System.out.println(backends(lockstep));
      System.out.println("Serving registry version " + serving.online().registryVersion() + " on http://"
          + host + ":" + serving.port() + " (Ctrl-C to stop)");
      stopped.await();
      System.out.println("Stopping: appending streamed events and logged vectors to the offline tables");
    }
    return 0;
  }

  /** Which online store and event log serve, and which feeds are followed, for people. */
  static String backends(Lockstep lockstep) {
    StringBuilder text = new StringBuilder("Online store: ").append(lockstep.config().online().backend())
        .append(", event log: ").append(lockstep.config().eventLog().backend());
    if (lockstep.config().streams().isEmpty()) {
      return text.toString();
    }
    text.append(", following");
    lockstep.config().streams().forEach((source, feed) -> text.append(' ').append(source).append(" <- ")
        .append(feed.backend()).append(feed.properties().containsKey("topic") ? " topic " + feed.properties().get("topic") : ""));
    return text.toString();
  }

  /**
   * A running server over a project's {@link ServingRuntime}: what serve and quickstart run, and
   * what the tests start.
   */
  static final class Serving implements AutoCloseable {
    private final ServingRuntime runtime;
    private final LockstepServer server;
    private boolean closed;

    private Serving(ServingRuntime runtime, LockstepServer server) {
      this.runtime = runtime;
      this.server = server;
    }

    static Serving start(Lockstep lockstep, String host, int port, List<String> loggedServices) {
      return start(lockstep, host, port, loggedServices, lockstep.config().monitoring().parityInterval());
    }

    /**
     * @param parityInterval how often the vectors logged for {@code loggedServices} are rebuilt
     *     offline and compared (see docs/parity.md)
     */
    static Serving start(Lockstep lockstep, String host, int port, List<String> loggedServices,
        Duration parityInterval) {
      ServingRuntime runtime = ServingRuntime.start(lockstep, loggedServices, parityInterval);
      try {
        return new Serving(runtime, LockstepServer.builder().host(host).port(port).project(runtime).build().start());
      } catch (RuntimeException e) {
        runtime.close();
        throw e;
      }
    }

    OnlineRuntime online() {
      return runtime.online();
    }

    DriftMonitor drift() {
      return runtime.drift();
    }

    int port() {
      return server.port();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      server.close();
      runtime.close();
    }
  }
}
