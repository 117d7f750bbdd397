package dev.lockstep.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.spi.CloseableIterator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-thread throughput of the readers and the writer. Runs only with {@code
 * -Dlockstep.benchmark=true}; prints rows per second.
 */
@EnabledIfSystemProperty(named = "lockstep.benchmark", matches = "true")
class IoThroughputTest {
  private static final int ROWS = Integer.getInteger("lockstep.benchmark.rows", 2_000_000);

  @TempDir Path dir;

  private static Source source(SourceFormat format) {
    return Source.builder("payments", format)
        .entity("card", "card_id")
        .eventTime("ts")
        .column("card_id", ValueType.STRING)
        .column("amount", ValueType.DOUBLE)
        .column("merchant", ValueType.STRING)
        .column("items", ValueType.LONG)
        .build();
  }

  @Test
  void csvSource() throws IOException {
    Path file = dir.resolve("payments.csv");
    Random random = new Random(42);
    long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("card_id,ts,amount,merchant,items\n");
      for (int i = 0; i < ROWS; i++) {
        out.write("card-" + random.nextInt(100_000) + "," + Instant.ofEpochMilli(start + i * 37L) + ","
            + (random.nextInt(100_000) / 100.0) + ",merchant " + random.nextInt(500) + "," + random.nextInt(10) + "\n");
      }
    }
    measure("CSV source, 5 columns", () -> count(SourceFileReader.open(file, source(SourceFormat.CSV))));
  }

  @Test
  void jsonLinesSource() throws IOException {
    Path file = dir.resolve("payments.jsonl");
    Random random = new Random(42);
    long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      for (int i = 0; i < ROWS; i++) {
        out.write("{\"card_id\":\"card-" + random.nextInt(100_000) + "\",\"ts\":\"" + Instant.ofEpochMilli(start + i * 37L)
            + "\",\"amount\":" + (random.nextInt(100_000) / 100.0) + ",\"merchant\":\"merchant " + random.nextInt(500)
            + "\",\"items\":" + random.nextInt(10) + "}\n");
      }
    }
    measure("JSON lines source, 5 columns", () -> count(SourceFileReader.open(file, source(SourceFormat.JSONL))));
  }

  @Test
  void parquetSourceAndWriter() {
    Path file = dir.resolve("payments.parquet");
    List<OutputColumn> columns = List.of(
        new OutputColumn("card_id", ColumnType.STRING, false),
        new OutputColumn("ts", ColumnType.TIMESTAMP_MILLIS_UTC, false),
        new OutputColumn("amount", ColumnType.DOUBLE, false),
        new OutputColumn("merchant", ColumnType.STRING, false),
        new OutputColumn("items", ColumnType.LONG, false));
    Random random = new Random(42);
    long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    long t0 = System.nanoTime();
    try (ParquetDatasetWriter writer = ParquetDatasetWriter.create(file, columns)) {
      for (int i = 0; i < ROWS * 2; i++) {
        writer.write(new Object[] {"card-" + random.nextInt(100_000), start + i * 37L,
            random.nextInt(100_000) / 100.0, "merchant " + random.nextInt(500), (long) random.nextInt(10)});
      }
    }
    report("Parquet writer, 5 columns", ROWS * 2, System.nanoTime() - t0);
    measure("Parquet source, 5 columns", () -> count(SourceFileReader.open(file, source(SourceFormat.PARQUET))));
  }

  @Test
  void writer25Columns() {
    List<OutputColumn> columns = new ArrayList<>();
    columns.add(new OutputColumn("card_id", ColumnType.STRING, false));
    columns.add(new OutputColumn("t", ColumnType.TIMESTAMP_MICROS_UTC, false));
    columns.add(new OutputColumn("label", ColumnType.INT, false));
    for (int i = 0; i < 8; i++) {
      columns.add(new OutputColumn("count_" + i, ColumnType.LONG, false));
    }
    for (int i = 0; i < 10; i++) {
      columns.add(new OutputColumn("mean_" + i, ColumnType.DOUBLE, false));
    }
    columns.add(new OutputColumn("last_merchant", ColumnType.STRING, false));
    columns.add(new OutputColumn("first_merchant", ColumnType.STRING, false));
    columns.add(new OutputColumn("last_5_amounts", ColumnType.DOUBLE, true));
    columns.add(new OutputColumn("last_3_items", ColumnType.LONG, true));
    assertThat(columns).hasSize(25);
    Random random = new Random(7);
    List<Object[]> rows = new ArrayList<>();
    for (int r = 0; r < 10_000; r++) {
      Object[] row = new Object[25];
      row[0] = "card-" + random.nextInt(100_000);
      row[1] = 1_767_225_600_000_000L + r * 1000L;
      row[2] = random.nextInt(2);
      for (int i = 3; i < 11; i++) {
        row[i] = (long) random.nextInt(1000);
      }
      for (int i = 11; i < 21; i++) {
        row[i] = random.nextBoolean() ? null : random.nextDouble() * 100;
      }
      row[21] = "merchant " + random.nextInt(500);
      row[22] = "merchant " + random.nextInt(500);
      row[23] = List.of(random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble());
      row[24] = List.of((long) random.nextInt(9), (long) random.nextInt(9), (long) random.nextInt(9));
      rows.add(row);
    }
    int[] run = {0};
    measure("Parquet writer, 25 columns (2 lists)", () -> {
      Path file = dir.resolve("training-" + run[0]++ + ".parquet");
      try (ParquetDatasetWriter writer = ParquetDatasetWriter.create(file, columns)) {
        for (int i = 0; i < ROWS; i++) {
          writer.write(rows.get(i % rows.size()));
        }
      }
      return ROWS;
    });
  }

  private static long count(CloseableIterator<ParsedRecord> records) {
    long accepted = 0;
    try (records) {
      while (records.hasNext()) {
        if (records.next() instanceof ParsedRecord.Accepted) {
          accepted++;
        }
      }
    }
    return accepted;
  }

  interface Run {
    long rows();
  }

  private static void measure(String what, Run run) {
    long best = Long.MAX_VALUE;
    long rows = 0;
    for (int i = 0; i < 4; i++) {
      long t0 = System.nanoTime();
      rows = run.rows();
      best = Math.min(best, System.nanoTime() - t0);
    }
    assertThat(rows).isGreaterThan(0);
    report(what, rows, best);
  }

  private static void report(String what, long rows, long nanos) {
    System.out.printf("THROUGHPUT %s: %,d rows in %.2f s = %,.0f rows/s%n", what, rows, nanos / 1e9, rows / (nanos / 1e9));
  }
}
