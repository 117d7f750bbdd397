package dev.lockstep.bench.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline tables the {@code lockstep} command writes are plain Iceberg tables that Spark reads
 * through Iceberg's own Spark runtime, as docs/backends.md tells: a Spark catalog named {@code
 * lockstep} over the warehouse's SQLite JDBC catalog, tables in namespace {@code lockstep}. Counts,
 * sums, the snapshot history and time travel match what was ingested; a catalog of any other name
 * sees no table (the JDBC catalog keeps tables per catalog name). Iceberg's vectorized reader needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED} (this module's surefire sets it).
 */
class IcebergTablesReadBySparkTest {
  @TempDir Path work;

  @Test
  void sparkReadsTheOfflineTablesExactlyWithTimeTravel() throws Exception {
    Path repo = work.resolve("fraud");
    lockstep("init", repo.toString());
    lockstep("generate-payments", "--events", "3000", "--seed", "3", "--out", repo.resolve("data").toString());
    Path payments = repo.resolve("data/payments.csv");
    List<String> lines = Files.readAllLines(payments, StandardCharsets.UTF_8);
    Path first = repo.resolve("data/first.csv");
    Path second = repo.resolve("data/second.csv");
    Files.write(first, lines.subList(0, 2001));
    List<String> rest = new ArrayList<>(List.of(lines.get(0)));
    rest.addAll(lines.subList(2001, lines.size()));
    Files.write(second, rest);
    lockstep("-C", repo.toString(), "apply");
    lockstep("-C", repo.toString(), "ingest", "payments", first.toString());
    lockstep("-C", repo.toString(), "ingest", "payments", second.toString());
    BigDecimal expectedSum = lines.subList(1, lines.size()).stream()
        .map(line -> line.split(",", -1)[2])
        .filter(amount -> !amount.isEmpty())
        .map(BigDecimal::new)
        .reduce(BigDecimal.ZERO, BigDecimal::add);

    Path warehouse = repo.resolve(".lockstep/warehouse").toAbsolutePath();
    SparkSession spark = SparkSession.builder()
        .master("local[1]")
        .appName("lockstep-interop")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.local.dir", work.resolve("spark").toString())
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.catalog.lockstep", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.lockstep.catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
        .config("spark.sql.catalog.lockstep.uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"))
        .config("spark.sql.catalog.lockstep.warehouse", warehouse.toString())
        .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.lake.catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
        .config("spark.sql.catalog.lake.uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"))
        .config("spark.sql.catalog.lake.warehouse", warehouse.toString())
        .getOrCreate();
    try {
      assertThat(spark.sql("SHOW TABLES IN lockstep.lockstep").collectAsList())
          .extracting(row -> row.getString(1)).contains("payments", "payments__quarantine");
      Row totals = spark.sql("SELECT count(*), sum(CAST(amount AS DECIMAL(38, 10))), count(DISTINCT card_id),"
          + " min(event_time) <= max(event_time) FROM lockstep.lockstep.payments").first();
      assertThat(totals.getLong(0)).isEqualTo(3000);
      assertThat(totals.getDecimal(1).stripTrailingZeros()).isEqualTo(expectedSum.stripTrailingZeros());
      assertThat(totals.getBoolean(3)).isTrue();

      List<Row> snapshots = spark.sql("SELECT snapshot_id FROM lockstep.lockstep.payments.snapshots"
          + " ORDER BY committed_at").collectAsList();
      assertThat(snapshots).hasSize(2);
      long firstSnapshot = snapshots.get(0).getLong(0);
      assertThat(spark.sql("SELECT count(*) FROM lockstep.lockstep.payments VERSION AS OF " + firstSnapshot)
          .first().getLong(0)).isEqualTo(2000);

      // a catalog named otherwise sees none of Lockstep's tables, not even their namespace
      assertThatThrownBy(() -> spark.sql("SHOW TABLES IN lake.lockstep").collectAsList())
          .hasMessageContaining("Namespace does not exist: lockstep");
    } finally {
      spark.stop();
    }
  }

  /** Runs the lockstep command, built by the reactor before this module, in its own JVM. */
  private void lockstep(String... args) throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("lockstep-cli/target/lockstep-cli.jar")) && root.getParent() != null) {
      root = root.getParent();
    }
    Path jar = root.resolve("lockstep-cli/target/lockstep-cli.jar");
    assertThat(jar).as("the lockstep command's jar (mvn package builds it)").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path log = work.resolve("lockstep-" + System.nanoTime() + ".log");
    Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("lockstep " + String.join(" ", args)).isTrue();
    String output;
    try (Stream<String> text = Files.lines(log)) {
      output = String.join("\n", text.toList());
    }
    assertThat(process.exitValue()).as("lockstep " + String.join(" ", args) + ": " + output).isZero();
  }
}
