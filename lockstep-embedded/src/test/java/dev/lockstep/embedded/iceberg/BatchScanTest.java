package dev.lockstep.embedded.iceberg;

import static dev.lockstep.embedded.iceberg.Payments.DAY;
import static dev.lockstep.embedded.iceberg.Payments.DAY_ONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch scans against the row scan (Iceberg's generic reader) as the oracle, and both against the
 * rows appended, on seeded random data over several days with nulls and several commits.
 */
class BatchScanTest {
  @TempDir static Path warehouse;
  static IcebergOfflineStore store;
  static List<Row> firstCommit;
  static List<Row> all;
  static long firstSnapshot;

  @BeforeAll
  static void load() {
    store = IcebergOfflineStore.open(warehouse);
    store.createTable("payments", Payments.SCHEMA);
    Random random = new Random(20240301);
    firstCommit = Payments.random(random, 3_000, 5, 1);
    List<Row> second = Payments.random(random, 2_000, 3, 3_001);
    // A large commit in one day, so that one file holds several pages per column.
    List<Row> third = Payments.random(random, 40_000, 1, 5_001);
    firstSnapshot = store.append("payments", firstCommit);
    store.append("payments", second, "second");
    store.append("payments", third);
    all = new ArrayList<>(firstCommit);
    all.addAll(second);
    all.addAll(third);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  static List<RowBatch> batches(ScanRequest request, int maxBatchRows) {
    return batches(store, "payments", request, maxBatchRows);
  }

  static List<RowBatch> batches(
      IcebergOfflineStore store, String table, ScanRequest request, int maxBatchRows) {
    List<RowBatch> batches = new ArrayList<>();
    for (ScanTask task : store.planBatchScan(table, request, maxBatchRows)) {
      try (CloseableIterator<RowBatch> iterator = task.open()) {
        iterator.forEachRemaining(batches::add);
      }
    }
    return batches;
  }

  static List<Row> batchScan(ScanRequest request) {
    return batchScan(store, "payments", request);
  }

  /** The rows of a batch scan, sorted by sequence. */
  static List<Row> batchScan(IcebergOfflineStore store, String table, ScanRequest request) {
    return Payments.bySequence(Payments.rowsOf(batches(store, table, request, 1_000)));
  }

  @Test
  void aBatchScanReturnsTheRowsAppended() {
    List<Row> rows = batchScan(ScanRequest.latest());

    assertThat(rows).isEqualTo(all);
    assertThat(rows)
        .isEqualTo(IcebergOfflineStoreTest.scan(store, "payments", ScanRequest.latest()));
  }

  @Test
  void aBatchScanOfAnOlderSnapshotReturnsItsRows() {
    ScanRequest request = ScanRequest.atSnapshot(firstSnapshot);

    assertThat(batchScan(request)).isEqualTo(firstCommit);
  }

  @Test
  void aBatchScanFiltersEventTimesExactlyLikeTheRowScan() {
    Instant from = Instant.ofEpochMilli(DAY_ONE + DAY + 12_345);
    Instant to = Instant.ofEpochMilli(DAY_ONE + 3 * DAY + 54_321);
    ScanRequest request = ScanRequest.latest().withEventTimeRange(from, to);

    List<Row> rows = batchScan(request);

    List<Row> expected =
        all.stream().filter(row -> request.includes(row.eventTimeMillis())).toList();
    assertThat(rows).isEqualTo(expected).isNotEmpty().hasSizeLessThan(all.size());
    assertThat(rows).isEqualTo(IcebergOfflineStoreTest.scan(store, "payments", request));
  }

  @Test
  void aBatchScanProjectsColumns() {
    ScanRequest request = ScanRequest.latest().withColumns(List.of("merchant", "amount"));

    List<RowBatch> batches = batches(request, 1_000);

    assertThat(batches.get(0).schema())
        .isEqualTo(Payments.SCHEMA.select(List.of("merchant", "amount")));
    assertThat(Payments.bySequence(Payments.rowsOf(batches)))
        .isEqualTo(IcebergOfflineStoreTest.scan(store, "payments", request));
  }

  @Test
  void batchesHoldAtMostTheMaximumAndAreNeverEmpty() {
    List<RowBatch> batches = batches(ScanRequest.latest(), 7);

    assertThat(batches).allSatisfy(batch -> assertThat(batch.size()).isBetween(1, 7));
    assertThat(batches.stream().mapToInt(RowBatch::size).sum()).isEqualTo(all.size());
  }

  @Test
  void tasksEstimateTheirRowsAndCanBeOpenedAgain() {
    List<ScanTask> tasks = store.planBatchScan("payments", ScanRequest.latest(), 500);

    assertThat(tasks.stream().mapToLong(ScanTask::estimatedRows).sum()).isEqualTo(all.size());
    List<RowBatch> once = new ArrayList<>();
    List<RowBatch> twice = new ArrayList<>();
    try (CloseableIterator<RowBatch> first = tasks.get(0).open();
        CloseableIterator<RowBatch> second = tasks.get(0).open()) {
      first.forEachRemaining(once::add);
      second.forEachRemaining(twice::add);
    }
    assertThat(Payments.rowsOf(twice)).isEqualTo(Payments.rowsOf(once)).isNotEmpty();
  }

  /**
   * Values too many and too distinct for a dictionary: Parquet writes the first pages
   * dictionary-encoded and falls back to plain encoding for the rest, so both decoders run.
   */
  @Test
  void columnsThatOutgrowTheirDictionaryDecodeExactly() {
    store.createTable("distinct_values", Payments.SCHEMA);
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      long time = DAY_ONE + random.nextInt((int) DAY);
      rows.add(
          Row.of(
              time,
              time + i,
              i + 1,
              "card-" + i + "-" + Long.toHexString(random.nextLong()) + "-ω".repeat(i % 5),
              i % 11 == 0 ? null : random.nextDouble(),
              i % 13 == 0 ? null : "merchant-" + random.nextLong(),
              i % 17 == 0 ? null : random.nextLong()));
    }
    store.append("distinct_values", rows);

    List<RowBatch> batches = new ArrayList<>();
    for (ScanTask task : store.planBatchScan("distinct_values", ScanRequest.latest(), 4_096)) {
      try (CloseableIterator<RowBatch> iterator = task.open()) {
        iterator.forEachRemaining(batches::add);
      }
    }

    assertThat(Payments.bySequence(Payments.rowsOf(batches))).isEqualTo(rows);
  }

  /**
   * With small row groups and a small split size set through Iceberg, one file is split into
   * several tasks at row-group boundaries: together they return each row once.
   */
  @Test
  void tasksSplittingOneFileReturnEachRowOnce() {
    store.createTable("split", Payments.SCHEMA);
    try (org.apache.iceberg.jdbc.JdbcCatalog catalog =
        WarehouseCatalog.open(warehouse.toAbsolutePath(), WarehouseCatalog.hadoopConf())) {
      catalog
          .loadTable(WarehouseCatalog.identifier("split"))
          .updateProperties()
          .set("write.parquet.row-group-size-bytes", "65536")
          .set("write.parquet.page-size-bytes", "8192")
          .set("read.split.target-size", "131072")
          .commit();
    }
    List<Row> rows = Payments.random(new Random(11), 30_000, 1, 1);
    store.append("split", rows);

    List<ScanTask> tasks = store.planBatchScan("split", ScanRequest.latest(), 1_000);
    List<RowBatch> batches = new ArrayList<>();
    for (ScanTask task : tasks) {
      try (CloseableIterator<RowBatch> iterator = task.open()) {
        iterator.forEachRemaining(batches::add);
      }
    }

    assertThat(tasks).hasSizeGreaterThan(3);
    assertThat(Payments.bySequence(Payments.rowsOf(batches))).isEqualTo(rows);
  }

  @Test
  void aTableWithoutCommitsHasNoTasksAndABadBatchSizeIsRejected() {
    store.createTable("empty", Payments.SCHEMA);

    assertThat(store.planBatchScan("empty", ScanRequest.latest(), 10)).isEmpty();
    assertThatThrownBy(() -> store.planBatchScan("payments", ScanRequest.latest(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot plan a batch scan of table 'payments': maxBatchRows is 0 (pass at least 1)");
  }
}
