package dev.lockstep.bench.trainingset;

import dev.lockstep.examples.Payment;
import dev.lockstep.examples.PaymentsGenerator;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes the training-set benchmark's input as Parquet: {@code events.parquet} and
 * {@code spine.parquet}, deterministic for a seed and size, and identical to what
 * {@code PaymentsFixture.generate(events, seed)} holds in memory.
 *
 * <p>{@code events.parquet}: {@code card_id VARCHAR, event_time BIGINT, ingest_time BIGINT,
 * sequence BIGINT, amount DOUBLE (nullable), merchant VARCHAR (nullable), items BIGINT}, in ingest
 * order. {@code spine.parquet}: {@code row_id BIGINT, card_id VARCHAR, ts BIGINT, label INTEGER},
 * about 10% of the events, each at the event's time plus 0 or a random offset under a minute;
 * {@code label} is 1 for a payment of at least 500 and 0 otherwise (a stand-in for a fraud label).
 * <b>All times are BIGINT epoch milliseconds, UTC</b>: unambiguous in every reader, with no time
 * zone to declare (docs/architecture.md, "Semantics"); the files' key-value metadata says so too.
 *
 * <p>Generation streams: payments go from {@link PaymentsGenerator} through DuckDB appenders into a
 * disk-backed scratch database, then {@code COPY ... TO} Parquet, so 100 M events need no more
 * memory than 1 M. A {@code data.properties} file written last marks a complete data set, which
 * later runs reuse.
 */
public final class TrainingSetData {
  static final String EVENTS_FILE = "events.parquet";
  static final String SPINE_FILE = "spine.parquet";
  private static final String MARKER_FILE = "data.properties";
  private static final int FORMAT_VERSION = 1;

  private TrainingSetData() {}

  /** {@code --events N --dir DIR [--seed S]}: generates (or reuses) {@code DIR/events-N-seed-S}. */
  public static void main(String[] args) throws Exception {
    Args options = Args.parse("TrainingSetData", args, Set.of("events", "dir", "seed"));
    Path data = ensure(options.path("dir"), options.number("events", 1_000_000), options.number("seed", 1));
    System.out.println(data);
  }

  /**
   * The directory of the data set for {@code events} payments and {@code seed} under {@code root},
   * generating it first unless a complete one is there.
   *
   * @return the directory holding {@value #EVENTS_FILE} and {@value #SPINE_FILE}
   */
  public static Path ensure(Path root, long events, long seed) throws IOException, SQLException {
    Path data = root.resolve("events-" + events + "-seed-" + seed);
    Path marker = data.resolve(MARKER_FILE);
    if (Files.exists(marker)) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(marker)) {
        properties.load(reader);
      }
      if (String.valueOf(FORMAT_VERSION).equals(properties.getProperty("format"))) {
        return data;
      }
    }
    Files.createDirectories(data);
    long start = System.nanoTime();
    long spineRows = generate(data, events, seed);
    Properties properties = new Properties();
    properties.setProperty("format", String.valueOf(FORMAT_VERSION));
    properties.setProperty("events", String.valueOf(events));
    properties.setProperty("spine_rows", String.valueOf(spineRows));
    properties.setProperty("seed", String.valueOf(seed));
    try (Writer writer = Files.newBufferedWriter(marker)) {
      properties.store(writer, "Training-set benchmark data, complete");
    }
    System.err.printf("Generated %,d events and %,d spine rows in %s in %.1f s%n",
        events, spineRows, data, (System.nanoTime() - start) / 1e9);
    return data;
  }

  /** The payments of {@code PaymentsFixture.generate(events, seed)}. */
  static PaymentsGenerator generator(long events, long seed) {
    return PaymentsGenerator.builder()
        .seed(seed)
        .events(events)
        .cards((int) Math.max(1, events / 100))
        .start(Instant.parse("2026-01-01T00:00:00Z"))
        .span(Duration.ofDays(60))
        .build();
  }

  private static long generate(Path data, long events, long seed) throws IOException, SQLException {
    Path scratch = data.resolve("generate.duckdb");
    Files.deleteIfExists(scratch);
    Files.deleteIfExists(data.resolve("generate.duckdb.wal"));
    long spineRows = 0;
    try (DuckDBConnection connection =
        (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + scratch.toAbsolutePath())) {
      try (Statement statement = connection.createStatement()) {
        DuckDbSettings.apply(statement, data.resolve("duckdb-tmp"), "1GB");
        statement.execute("CREATE TABLE events (card_id VARCHAR, event_time BIGINT, ingest_time BIGINT,"
            + " sequence BIGINT, amount DOUBLE, merchant VARCHAR, items BIGINT)");
        statement.execute("CREATE TABLE spine (row_id BIGINT, card_id VARCHAR, ts BIGINT, label INTEGER)");
      }
      // the spine draws from its own random sequence, exactly as PaymentsFixture does
      SplittableRandom random = new SplittableRandom(seed);
      try (DuckDBAppender eventRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events");
          DuckDBAppender spine = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spine")) {
        for (Payment payment : generator(events, seed)) {
          eventRows.beginRow()
              .append(payment.cardId())
              .append(payment.eventTime())
              .append(payment.ingestTime())
              .append(payment.sequence())
              .append(payment.amount())
              .append(payment.merchant())
              .append(payment.items())
              .endRow();
          if (random.nextInt(10) == 0) {
            long ts = payment.eventTime() + (random.nextBoolean() ? 0 : random.nextLong(1, 60_000));
            boolean large = payment.amount() != null && payment.amount() >= 500.0;
            spine.beginRow().append(spineRows++).append(payment.cardId()).append(ts).append(large ? 1 : 0).endRow();
          }
        }
      }
      String metadata = " KV_METADATA {times: 'BIGINT epoch milliseconds, UTC', generator: 'PaymentsGenerator"
          + " events=" + events + " seed=" + seed + "'}";
      try (Statement statement = connection.createStatement()) {
        copy(statement, "events", data.resolve(EVENTS_FILE), metadata);
        copy(statement, "spine", data.resolve(SPINE_FILE), metadata);
      }
    } finally {
      Files.deleteIfExists(scratch);
      Files.deleteIfExists(data.resolve("generate.duckdb.wal"));
    }
    return spineRows;
  }

  /** Writes a table to a temporary file, then moves it into place. */
  private static void copy(Statement statement, String table, Path target, String metadata)
      throws SQLException, IOException {
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
    statement.execute("COPY " + table + " TO '" + temporary.toAbsolutePath()
        + "' (FORMAT parquet, COMPRESSION zstd," + metadata + ")");
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
