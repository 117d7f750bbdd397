package dev.lockstep.kafka.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * One real Kafka node in this JVM: broker and controller in one process (KRaft combined mode),
 * listening on 127.0.0.1 only, replication 1, topics never created automatically. For tests,
 * benchmarks and {@code bin/kafka-broker}; never for production data.
 *
 * <pre>
 * &lt;dir&gt;/server.properties   the configuration of the latest start, rewritten at each start
 * &lt;dir&gt;/data/               the metadata log and every partition, kept across restarts
 * </pre>
 *
 * <p>Starting formats {@code data/} the first time (a new cluster id) and reuses it afterwards, so
 * a broker stopped and started on the same directory keeps its topics and records. The controller
 * listens on a free port of its own. Kafka's server classes log through SLF4J: what they print
 * depends on the binding on the class path (none: nothing).
 */
public final class LocalKafkaBroker implements AutoCloseable {
  /** The only address the broker listens on. */
  public static final String HOST = "127.0.0.1";

  /** How long {@link #start} waits for the broker to serve before it gives up. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final int START_ATTEMPTS_ON_FREE_PORTS = 3;

  private final Path directory;
  private final int port;
  private final KafkaRaftServer server;
  private boolean closed;

  private LocalKafkaBroker(Path directory, int port, KafkaRaftServer server) {
    this.directory = directory;
    this.port = port;
    this.server = server;
  }

  /**
   * Starts a broker on the data in {@code directory} (created and formatted if missing) and returns
   * once it serves clients: topics can be created and written.
   *
   * @param port the client port, or 0 for a free one
   * @throws IllegalArgumentException if {@code port} is not in 0..65535
   * @throws IllegalStateException if the broker cannot start: the port is taken, another broker
   *     has the directory open, or it did not serve within a minute
   * @throws UncheckedIOException if the directory cannot be written
   */
  public static LocalKafkaBroker start(Path directory, int port) {
    Objects.requireNonNull(directory, "directory");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("Cannot start a Kafka broker on port " + port
          + ": a port is 0 to 65535 (0 picks a free one)");
    }
    Path absolute = directory.toAbsolutePath().normalize();
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(absolute, port == 0 ? freePort() : port);
      } catch (IllegalStateException e) {
        // A free port can be taken by someone else between choosing and binding it: choose again.
        if (port != 0 || attempt == START_ATTEMPTS_ON_FREE_PORTS || !isBindFailure(e)) {
          throw e;
        }
      }
    }
  }

  private static LocalKafkaBroker startOnce(Path directory, int port) {
    Properties config = BrokerSettings.of(directory.resolve("data"), port, freePort(port));
    Path file = directory.resolve("server.properties");
    try {
      Files.createDirectories(directory.resolve("data"));
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        config.store(writer, "Written by LocalKafkaBroker at each start; edits are overwritten");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a Kafka broker in " + directory + ": " + e
          + " (check that the directory is writable)", e);
    }
    format(directory, file);
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
    LocalKafkaBroker broker = new LocalKafkaBroker(directory, port, server);
    try {
      server.startup();
      Readiness.await(broker.bootstrapServers(), START_TIMEOUT);
      return broker;
    } catch (RuntimeException e) {
      broker.closeQuietly();
      String hint = isBindFailure(e) ? "port " + port + " is in use: stop what uses it, or"
          + " choose another port" : "is another broker using the directory? stop it first";
      throw new IllegalStateException("Cannot start a Kafka broker on " + HOST + ":" + port
          + " in " + directory + ": " + oneLine(e) + " (" + hint + ")", e);
    }
  }

  /**
   * Formats {@code data/} unless it already is. A formatted directory keeps its cluster id, which
   * the format command must be given again to leave it alone.
   */
  private static void format(Path directory, Path configFile) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status = StorageTool.execute(new String[] {"format", "--config", configFile.toString(),
          "--cluster-id", clusterId(directory.resolve("data")), "--ignore-formatted"}, print);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot format the Kafka data in " + directory + ": "
          + oneLine(e) + " (delete the directory to start afresh)", e);
    }
    if (status != 0) {
      throw new IllegalStateException("Cannot format the Kafka data in " + directory + ": "
          + output.toString(StandardCharsets.UTF_8).strip() + " (delete the directory to start"
          + " afresh)");
    }
  }

  private static String clusterId(Path dataDirectory) {
    Path meta = dataDirectory.resolve("meta.properties");
    if (Files.exists(meta)) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + meta + ": " + e, e);
      }
      String id = properties.getProperty("cluster.id");
      if (id != null && !id.isBlank()) {
        return id;
      }
    }
    return Uuid.randomUuid().toString();
  }

  /** {@code 127.0.0.1:<port>}: what clients set {@code bootstrap.servers} to. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** The directory holding the broker's data. */
  public Path directory() {
    return directory;
  }

  /**
   * Shuts the broker down cleanly (a controlled shutdown, logs flushed and closed) and waits for
   * it. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      // Already failing with the error that made us close.
    }
  }

  @Override
  public String toString() {
    return "the local Kafka broker at " + bootstrapServers() + " in " + directory;
  }

  /**
   * Runs a broker until SIGTERM or Ctrl-C: {@code [--dir DIR] [--port PORT]}, by default {@code
   * .lockstep-kafka} and 9092. Prints {@code Kafka broker ready at 127.0.0.1:<port>} once it
   * serves, and nothing else on standard output; Kafka's warnings go to standard error.
   */
  public static void main(String[] args) {
    // slf4j-simple logs everything from INFO up otherwise, which for a broker is a lot.
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Map<String, String> options = BrokerArguments.parse(args, System.err);
    if (options == null) {
      System.exit(2);
      return;
    }
    LocalKafkaBroker broker;
    try {
      broker = start(Path.of(options.get("--dir")), Integer.parseInt(options.get("--port")));
    } catch (RuntimeException e) {
      System.err.println("kafka-broker: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
    System.out.println("Kafka broker ready at " + broker.bootstrapServers());
    System.out.flush();
    broker.server.awaitShutdown();
  }

  static int freePort(int... taken) {
    for (int attempt = 0; attempt < 10; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        int port = socket.getLocalPort();
        if (Arrays.stream(taken).noneMatch(used -> used == port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free port on " + HOST + ": " + e, e);
      }
    }
    throw new IllegalStateException("Cannot find a free port on " + HOST);
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (String.valueOf(cause.getMessage()).contains("failed to bind")
          || cause instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  private static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root;
    return text.replaceAll("\\R", " ");
  }
}
