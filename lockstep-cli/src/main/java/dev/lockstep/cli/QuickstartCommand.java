package dev.lockstep.cli;

import dev.lockstep.core.config.ProjectConfig;
import dev.lockstep.io.SpineColumn;
import dev.lockstep.io.SpineFile;
import dev.lockstep.spi.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep quickstart}: the whole loop on the embedded defaults, in a fresh directory,
 * printing each equivalent command as it runs it: create the fraud example repository, generate
 * payments, apply the definitions, ingest, build a point-in-time training set, materialize the
 * online store, serve over HTTP with feature logging, stream live transactions through the push
 * API, fetch feature vectors, and check replay parity.
 */
@Command(
    name = "quickstart",
    description = "Run the payment-fraud example end to end in a new directory, showing each command.")
final class QuickstartCommand implements Callable<Integer> {
  @Option(names = "--dir", paramLabel = "DIR", description = "A new directory (default: a fresh one under the temporary directory).")
  Path directory;

  @Option(names = "--events", defaultValue = "1000000", description = "Payments to generate (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--live-events", defaultValue = "5000", description = "Live transactions to push (default: ${DEFAULT-VALUE}).")
  int liveEvents;

  @Option(names = "--port", defaultValue = "0", description = "Port of the server (default: a free one; 6566 with --keep-serving).")
  int port;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A lockstep.yaml to run on (e.g. Kafka, Redis and PostgreSQL); default: the embedded backends.")
  Path config;

  @Option(names = "--keep-serving", description = "Keep the server running at the end (Ctrl-C to stop).")
  boolean keepServing;

  @Override
  public Integer call() throws Exception {
    Path repo = directory != null ? directory : Files.createTempDirectory("lockstep-quickstart-");
    if (directory == null) {
      Files.delete(repo);
    }
    String r = repo.toString();
    step("Create a feature repository with the payment-fraud example", "init", r);
    String online = "RocksDB";
    if (config != null) {
      System.out.println();
      System.out.println("## Run on the backends " + config + " selects");
      System.out.println("$ cp " + config + " " + repo.resolve(ProjectConfig.FILE));
      Files.copy(config, repo.resolve(ProjectConfig.FILE));
      online = ProjectConfig.load(repo, repo.resolve(".lockstep"), System.getenv()).online().backend();
    }
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(30, ChronoUnit.DAYS);
    step("Generate " + String.format("%,d", events) + " synthetic payments of the last 30 days and a spine of 10% of them",
        "generate-payments", "--events", Long.toString(events), "--start", start.toString(), "--days", "30",
        "--out", repo.resolve("data").toString());
    step("Check the definitions", "-C", r, "validate");
    step("Commit them as registry version 1", "-C", r, "apply");
    step("Ingest the payments into the offline store (Iceberg)", "-C", r, "ingest", "payments");
    step("Build a point-in-time-correct training set", "-C", r, "training-set", "--service", "fraud_model",
        "--spine", repo.resolve("data/spine.csv").toString(), "--out", repo.resolve("training").toString());
    printRows(repo.resolve("training/part-00000.parquet"), 5);
    step("Load the online store (" + online + ") from the offline store", "-C", r, "materialize");
    new LiveLoop(repo, port, liveEvents, events).run();
    step("Rebuild every served vector offline (AS_OF_INGEST at its t) and compare", "-C", r, "replay",
        "--service", "fraud_model");
    System.out.println();
    System.out.println("Done. The repository is " + repo + "; its data is in " + repo.resolve(".lockstep") + ".");
    System.out.println("Read the training set with any Parquet reader, e.g. duckdb -c \"SELECT * FROM '"
        + repo.resolve("training") + "/*.parquet' LIMIT 10\"");
    if (keepServing) {
      System.out.println();
      String servePort = Integer.toString(port == 0 ? 6566 : port);
      System.out.println("$ lockstep -C " + r + " serve --port " + servePort + " --log-features fraud_model");
      Main.run("-C", r, "serve", "--port", servePort, "--log-features", "fraud_model");
    }
    return 0;
  }

  private static void step(String what, String... args) {
    System.out.println();
    System.out.println("## " + what);
    System.out.println("$ lockstep " + String.join(" ", args));
    int code = Main.run(args);
    if (code != 0) {
      throw new IllegalStateException("Cannot finish the quickstart: 'lockstep " + String.join(" ", args)
          + "' exited with " + code);
    }
  }

  private static void printRows(Path file, int limit) {
    SpineFile parquet = SpineFile.open(file);
    List<String> names = parquet.columns().stream().map(SpineColumn::name).toList();
    System.out.println();
    System.out.println("## The first rows (spine columns, then features named view__feature)");
    System.out.println(String.join(" | ", names));
    try (CloseableIterator<Object[]> rows = parquet.rows()) {
      for (int i = 0; i < limit && rows.hasNext(); i++) {
        Object[] row = rows.next();
        List<String> cells = new ArrayList<>();
        for (Object value : row) {
          cells.add(value instanceof Double number ? String.format("%.4g", number) : String.valueOf(value));
        }
        System.out.println(cells.stream().collect(Collectors.joining(" | ")));
      }
    } catch (UncheckedIOException e) {
      throw e;
    }
  }
}
