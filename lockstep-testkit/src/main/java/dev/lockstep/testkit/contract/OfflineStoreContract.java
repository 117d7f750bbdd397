package dev.lockstep.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.Capabilities;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsBatchScans;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import dev.lockstep.spi.offline.SupportsDeletes;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.spi.offline.SupportsIdempotentAppends.Appended;
import dev.lockstep.spi.offline.SupportsSnapshotReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link OfflineStore} keeps, run by each backend's test class:
 *
 * <pre>{@code
 * class IcebergOfflineStoreContractTest extends OfflineStoreContract {
 *   @TempDir Path warehouse;
 *
 *   @Override
 *   protected OfflineStore newStore() {
 *     return Backends.load(OfflineStore.class, "iceberg", Map.of("warehouse", warehouse.toString()));
 *   }
 *
 *   @Override
 *   protected OfflineStore reopen() {
 *     return newStore();
 *   }
 * }
 * }</pre>
 *
 * <p><b>Capabilities.</b> The tests of {@link SupportsSnapshotReads}, {@link
 * SupportsIdempotentAppends}, {@link SupportsBatchScans} and {@link SupportsDeletes} run when the
 * store implements them and are skipped (an assumption fails) otherwise; so are the {@code
 * dropTable} tests when {@link #dropsTables()} is false. In the other direction, a store lacking a
 * capability must say so: an {@link UnsupportedBackendOperationException} whose message names the
 * backend's display name and the operation, for reading an older snapshot, for dropping a table,
 * and from {@link Capabilities#require} for the mix-ins.
 *
 * <p>Table names are lower-case letters, digits and underscores; column names are those
 * definitions allow (letters, digits, {@code _ . -}). Scans return rows in no particular order,
 * so rows are compared sorted by their (unique) sequence. Randomness is seeded.
 */
public abstract class OfflineStoreContract {
  /** 2024-03-01T00:00:00Z. */
  protected static final long DAY_ONE = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();

  protected static final long DAY = 86_400_000L;

  /** The table most tests use: every value type, required and nullable. */
  protected static final Schema PAYMENTS =
      Schema.of(
          Column.required("user_id", ValueType.STRING),
          Column.nullable("amount", ValueType.DOUBLE),
          Column.nullable("merchant", ValueType.STRING),
          Column.nullable("items", ValueType.LONG));

  private static final String TABLE = "payments";

  /** The store under test; closed after each test. */
  protected OfflineStore store;

  private final List<OfflineStore> reopened = new ArrayList<>();

  /** A new store with no tables. Called once before each test; the suite closes it. */
  protected abstract OfflineStore newStore();

  /**
   * Another instance on the storage of the last {@link #newStore()}, or null if the store keeps
   * nothing beyond its instance (then the durability test is skipped). The suite closes it.
   */
  protected OfflineStore reopen() {
    return null;
  }

  /** Whether {@link OfflineStore#dropTable} is supported; if not it must say so. */
  protected boolean dropsTables() {
    return true;
  }

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStores() {
    reopened.forEach(OfflineStore::close);
    if (store != null) {
      store.close();
    }
  }

  // ---- tables ----

  @Test
  void aNewStoreHasNoTables() {
    assertThat(store.tables()).isEmpty();
  }

  @Test
  void tablesAreListedSortedWithTheirSchemas() {
    Schema users = Schema.of(Column.required("user_id", ValueType.LONG));
    Schema clicks =
        Schema.of(Column.nullable("url", ValueType.STRING), Column.required("ms", ValueType.DOUBLE));
    store.createTable("users", users);
    store.createTable(TABLE, PAYMENTS);
    store.createTable("clicks_2024", clicks);

    assertThat(store.tables()).containsExactly("clicks_2024", TABLE, "users");
    assertThat(store.schema(TABLE)).isEqualTo(PAYMENTS);
    assertThat(store.schema("users")).isEqualTo(users);
    assertThat(store.schema("clicks_2024")).isEqualTo(clicks);
  }

  @Test
  void creatingATableTwiceFailsAndKeepsTheFirst() {
    store.createTable(TABLE, PAYMENTS);
    store.append(TABLE, List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L)));

    assertThatThrownBy(
            () -> store.createTable(TABLE, Schema.of(Column.nullable("x", ValueType.LONG))))
        .isExactlyInstanceOf(AlreadyExistsException.class)
        .hasMessageStartingWith("Cannot ");

    assertThat(store.schema(TABLE)).isEqualTo(PAYMENTS);
    assertThat(scanAll(TABLE)).hasSize(1);
  }

  /**
   * Writers creating the same table at once, through this instance and others on the same storage:
   * one creates it and the others get {@link AlreadyExistsException}.
   */
  @Test
  @Timeout(120)
  void ofConcurrentCreatesOfOneTableOneWinsAndTheOthersFindItExists() throws Exception {
    int racers = 4;
    List<OfflineStore> stores = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      OfflineStore other = i % 2 == 0 ? null : reopen();
      if (other != null) {
        reopened.add(other);
      }
      stores.add(other == null ? store : other);
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<Schema>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        OfflineStore racer = stores.get(i);
        Schema schema = Schema.of(Column.required("column_" + i, ValueType.LONG));
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    racer.createTable(TABLE, schema);
                    return schema;
                  } catch (AlreadyExistsException e) {
                    assertThat(e).hasMessageStartingWith("Cannot ");
                    return null;
                  }
                }));
      }
      start.countDown();
      List<Schema> created = new ArrayList<>();
      for (Future<Schema> result : results) {
        Schema schema = result.get(120, TimeUnit.SECONDS);
        if (schema != null) {
          created.add(schema);
        }
      }

      assertThat(created).hasSize(1);
      assertThat(store.tables()).containsExactly(TABLE);
      assertThat(store.schema(TABLE)).isEqualTo(created.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Column names as definitions allow them: capitals, dots and dashes are names, not paths. */
  @Test
  void columnNamesMayHoldCapitalsDotsAndDashes() {
    Schema schema =
        Schema.of(
            Column.required("User-Id", ValueType.STRING),
            Column.nullable("amount.usd", ValueType.DOUBLE),
            Column.nullable("_count", ValueType.LONG));
    store.createTable(TABLE, schema);
    List<Row> rows =
        List.of(
            Row.of(DAY_ONE, DAY_ONE + 1, 1, "u1", 2.5, 3L),
            Row.of(DAY_ONE + DAY, DAY_ONE + DAY, 2, "u2", null, null));

    store.append(TABLE, rows);

    assertThat(store.schema(TABLE)).isEqualTo(schema);
    assertThat(scan(TABLE, ScanRequest.latest())).isEqualTo(rows);
    assertThat(scan(TABLE, ScanRequest.latest().withColumns(List.of("amount.usd", "User-Id"))))
        .containsExactly(
            Row.of(DAY_ONE, DAY_ONE + 1, 1, 2.5, "u1"),
            Row.of(DAY_ONE + DAY, DAY_ONE + DAY, 2, null, "u2"));
    assertThatThrownBy(() -> scan(TABLE, ScanRequest.latest().withColumns(List.of("user-id"))))
        .isExactlyInstanceOf(NotFoundException.class);
    if (store instanceof SupportsBatchScans) {
      assertThat(batchScan(TABLE, ScanRequest.latest().withColumns(List.of("amount.usd")), 10))
          .extracting(row -> row.value(0))
          .containsExactly(2.5, null);
    }
  }

  @Test
  void aNewTableHasNoSnapshotAndScansEmpty() {
    store.createTable(TABLE, PAYMENTS);

    assertThat(store.snapshots(TABLE)).isEmpty();
    assertThat(store.currentSnapshot(TABLE)).isEmpty();
    assertThat(scan(TABLE, ScanRequest.latest())).isEmpty();
    assertThat(
            scan(
                TABLE,
                ScanRequest.latest()
                    .withColumns(List.of("items"))
                    .withEventTimeRange(Instant.ofEpochMilli(0), null)))
        .isEmpty();
  }

  @Test
  void anUnknownTableIsNotFound() {
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows = List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L));

    assertNotFound(() -> store.schema("orders"));
    assertNotFound(() -> store.append("orders", rows));
    assertNotFound(() -> store.scan("orders", ScanRequest.latest()).close());
    assertNotFound(() -> store.snapshots("orders"));
    assertNotFound(() -> store.currentSnapshot("orders"));
    assertThat(store.tables()).containsExactly(TABLE);
  }

  // ---- appends and scans ----

  @Test
  void appendedRowsScanBackExactly() {
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows =
        List.of(
            row(DAY_ONE + 1, 1, "u1", 12.5, "m1", 3L),
            row(DAY_ONE + DAY + 7, 2, "u2", null, null, null),
            row(DAY_ONE - 1, 3, "ünïcødé 🔑", -0.0, "", Long.MIN_VALUE),
            row(-1, 4, "before 1970", Double.NaN, "tab\tnewline\n", Long.MAX_VALUE),
            row(DAY_ONE + 999, 5, "", Double.MAX_VALUE, "m", -1L),
            row(DAY_ONE + 999, 6, "same time", Double.MIN_VALUE, "m", 0L),
            row(DAY_ONE + 365 * DAY, 7, "a year on", Double.NEGATIVE_INFINITY, "m", 1L));

    long snapshotId = store.append(TABLE, rows);

    assertThat(scan(TABLE, ScanRequest.latest())).isEqualTo(rows);
    assertThat(store.snapshots(TABLE))
        .singleElement()
        .satisfies(
            snapshot -> {
              assertThat(snapshot.id()).isEqualTo(snapshotId);
              assertThat(snapshot.operation()).isEqualTo(Snapshot.Operation.APPEND);
            });
    assertThat(store.currentSnapshot(TABLE).map(Snapshot::id)).contains(snapshotId);
  }

  @Test
  void eachAppendIsOneSnapshotListedOldestFirst() {
    store.createTable(TABLE, PAYMENTS);
    List<Row> all = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int batch = 0; batch < 4; batch++) {
      List<Row> rows = randomRows(new Random(batch), 25, 3, 1 + batch * 25L);
      ids.add(store.append(TABLE, rows));
      all.addAll(rows);
    }

    List<Snapshot> snapshots = store.snapshots(TABLE);

    assertThat(snapshots).extracting(Snapshot::id).containsExactlyElementsOf(ids);
    assertThat(new HashSet<>(ids)).hasSize(4);
    assertThat(snapshots).extracting(Snapshot::operation).containsOnly(Snapshot.Operation.APPEND);
    assertThat(snapshots).extracting(Snapshot::committedAt).isSorted();
    assertThat(scan(TABLE, ScanRequest.latest())).isEqualTo(all);
  }

  @Test
  void anEmptyAppendIsRejected() {
    store.createTable(TABLE, PAYMENTS);

    assertThatThrownBy(() -> store.append(TABLE, List.of()))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot ");

    assertThat(store.snapshots(TABLE)).isEmpty();
  }

  @Test
  void aRowThatDoesNotFitCommitsNothing() {
    store.createTable(TABLE, PAYMENTS);
    Row good = row(DAY_ONE, 1, "u1", 1.0, "m", 1L);
    store.append(TABLE, List.of(good));
    List<Snapshot> before = store.snapshots(TABLE);
    List<Row> tooFewValues = List.of(Row.of(DAY_ONE, DAY_ONE, 2, "u2", 1.0, "m"));
    List<Row> wrongType = List.of(Row.of(DAY_ONE, DAY_ONE, 2, "u2", 1L, "m", 1L));
    List<Row> nullRequired = List.of(row(DAY_ONE, 2, "u2", 1.0, "m", 1L), row(DAY_ONE, 3, null,
        1.0, "m", 1L));

    for (List<Row> rows : List.of(tooFewValues, wrongType, nullRequired)) {
      assertThatThrownBy(() -> store.append(TABLE, rows))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot ");
    }

    assertThat(store.snapshots(TABLE)).isEqualTo(before);
    assertThat(scanAll(TABLE)).containsExactly(good);
  }

  @Test
  void aProjectionReturnsTheRequestedColumnsInTheirOrder() {
    store.createTable(TABLE, PAYMENTS);
    store.append(
        TABLE,
        List.of(row(DAY_ONE, 1, "u1", 9.5, "m1", 4L), row(DAY_ONE + 1, 2, "u2", null, "m2", null)));

    assertThat(scan(TABLE, ScanRequest.latest().withColumns(List.of("items", "user_id"))))
        .containsExactly(
            Row.of(DAY_ONE, DAY_ONE + 5, 1, 4L, "u1"),
            Row.of(DAY_ONE + 1, DAY_ONE + 6, 2, null, "u2"));
    assertThat(scan(TABLE, ScanRequest.latest().withColumns(List.of("amount"))))
        .containsExactly(Row.of(DAY_ONE, DAY_ONE + 5, 1, 9.5), Row.of(DAY_ONE + 1, DAY_ONE + 6, 2,
            (Object) null));
  }

  @Test
  void anUnknownColumnIsNotFound() {
    store.createTable(TABLE, PAYMENTS);
    store.append(TABLE, List.of(row(DAY_ONE, 1, "u1", 9.5, "m1", 4L)));

    assertNotFound(() -> scan(TABLE, ScanRequest.latest().withColumns(List.of("Amount"))));
    assertNotFound(
        () -> scan(TABLE, ScanRequest.latest().withColumns(List.of("user_id", "nope"))));
  }

  @Test
  void theEventTimeRangeIsHalfOpenAndSpansDays() {
    store.createTable(TABLE, PAYMENTS);
    long from = DAY_ONE + DAY - 10;
    long to = DAY_ONE + 2 * DAY + 10;
    long[] times = {-DAY, DAY_ONE, from - 1, from, DAY_ONE + DAY, to - 1, to, to + 3 * DAY};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      rows.add(row(times[i], i + 1, "u" + i, (double) i, "m", (long) i));
    }
    store.append(TABLE, rows);

    assertThat(times(ScanRequest.latest().withEventTimeRange(at(from), at(to))))
        .containsExactly(from, DAY_ONE + DAY, to - 1);
    assertThat(times(ScanRequest.latest().withEventTimeRange(at(from), null)))
        .containsExactly(from, DAY_ONE + DAY, to - 1, to, to + 3 * DAY);
    assertThat(times(ScanRequest.latest().withEventTimeRange(null, at(from))))
        .containsExactly(-DAY, DAY_ONE, from - 1);
    assertThat(times(ScanRequest.latest().withEventTimeRange(at(from), at(from)))).isEmpty();
    // Bounds round up to the millisecond: from + 1ns excludes from; to + 1ns includes to.
    assertThat(
            times(
                ScanRequest.latest()
                    .withEventTimeRange(at(from).plusNanos(1), at(to).plusNanos(1))))
        .containsExactly(DAY_ONE + DAY, to - 1, to);
  }

  /** Random appends, then random ranges and projections compared with a naive filter. */
  @Test
  void scansMatchANaiveFilterOfEveryRowAppended() {
    Random random = new Random(42);
    store.createTable(TABLE, PAYMENTS);
    List<Row> all = new ArrayList<>();
    for (int batch = 0; batch < 4; batch++) {
      List<Row> rows = randomRows(random, 50 + random.nextInt(100), 10, all.size() + 1);
      store.append(TABLE, rows);
      all.addAll(rows);
    }
    List<String> names = PAYMENTS.columns().stream().map(Column::name).toList();

    for (int query = 0; query < 25; query++) {
      ScanRequest request = randomRequest(random, names);
      assertThat(scan(TABLE, request)).as("%s", request).isEqualTo(naive(all, request));
    }
  }

  @Test
  void pinningTheCurrentSnapshotReadsIt() {
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows = List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L));
    long id = store.append(TABLE, rows);

    assertThat(scan(TABLE, ScanRequest.atSnapshot(id))).isEqualTo(rows);
  }

  @Test
  @Timeout(120)
  void concurrentAppendsAllSucceed() throws Exception {
    store.createTable(TABLE, PAYMENTS);
    int writers = 4;
    int appendsPerWriter = 5;
    int rowsPerAppend = 10;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Row> all = new ArrayList<>();
    try {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        List<List<Row>> batches = new ArrayList<>();
        for (int a = 0; a < appendsPerWriter; a++) {
          long first = 1 + (long) (w * appendsPerWriter + a) * rowsPerAppend;
          List<Row> rows = randomRows(new Random(first), rowsPerAppend, 2, first);
          batches.add(rows);
          all.addAll(rows);
        }
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Long> ids = new ArrayList<>();
                  for (List<Row> rows : batches) {
                    ids.add(store.append(TABLE, rows));
                  }
                  return ids;
                }));
      }
      start.countDown();
      Set<Long> ids = new HashSet<>();
      for (Future<List<Long>> result : results) {
        ids.addAll(result.get(120, TimeUnit.SECONDS));
      }

      assertThat(ids).hasSize(writers * appendsPerWriter);
      assertThat(store.snapshots(TABLE)).extracting(Snapshot::id).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(scan(TABLE, ScanRequest.latest())).isEqualTo(bySequence(all));
    } finally {
      pool.shutdownNow();
    }
  }

  /** A scan reads one snapshot: while batches of 7 rows are appended, it sees whole batches. */
  @Test
  @Timeout(120)
  void aScanNeverSeesPartOfACommit() throws Exception {
    store.createTable(TABLE, PAYMENTS);
    int batches = 12;
    int batchRows = 7;
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> reader =
          pool.submit(
              () -> {
                int last = 0;
                while (writing.get()) {
                  int seen = scanAll(TABLE).size();
                  assertThat(seen % batchRows).as("rows seen: %d", seen).isZero();
                  assertThat(seen).isGreaterThanOrEqualTo(last);
                  last = seen;
                }
                return null;
              });
      for (int batch = 0; batch < batches; batch++) {
        store.append(TABLE, randomRows(new Random(batch), batchRows, 3, 1 + batch * batchRows));
      }
      writing.set(false);
      reader.get(60, TimeUnit.SECONDS);
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
    assertThat(scanAll(TABLE)).hasSize(batches * batchRows);
  }

  @Test
  void appendsSurviveReopening() {
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows = randomRows(new Random(3), 40, 5, 1);
    store.append(TABLE, rows.subList(0, 20));
    store.append(TABLE, rows.subList(20, 40));
    List<Snapshot> snapshots = store.snapshots(TABLE);
    store.close();

    OfflineStore again = reopenOrSkip();

    assertThat(again.tables()).containsExactly(TABLE);
    assertThat(again.schema(TABLE)).isEqualTo(PAYMENTS);
    assertThat(again.snapshots(TABLE)).isEqualTo(snapshots);
    assertThat(scan(again, TABLE, ScanRequest.latest())).isEqualTo(rows);
  }

  @Test
  void anotherInstanceSeesCommitsAtOnce() {
    OfflineStore other = reopenOrSkip();
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows = randomRows(new Random(4), 10, 2, 1);

    long id = store.append(TABLE, rows);

    assertThat(other.tables()).containsExactly(TABLE);
    assertThat(other.currentSnapshot(TABLE).map(Snapshot::id)).contains(id);
    assertThat(scan(other, TABLE, ScanRequest.latest())).isEqualTo(rows);
  }

  @Test
  void closeIsIdempotentAndEveryOtherCallThenFails() {
    store.createTable(TABLE, PAYMENTS);
    store.close();
    store.close();

    assertThatThrownBy(() -> store.tables())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot ");
    assertThatThrownBy(() -> store.createTable("other", PAYMENTS))
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.schema(TABLE)).isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.append(TABLE, List.of(row(DAY_ONE, 1, "u", 1.0, "m", 1L))))
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.scan(TABLE, ScanRequest.latest()))
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.snapshots(TABLE))
        .isExactlyInstanceOf(IllegalStateException.class);
    if (store instanceof SupportsIdempotentAppends idempotent) {
      assertThatThrownBy(() -> idempotent.append(TABLE, List.of(), "k"))
          .isExactlyInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> idempotent.findCommit(TABLE, "k"))
          .isExactlyInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> idempotent.highestSequence(TABLE))
          .isExactlyInstanceOf(IllegalStateException.class);
    }
    if (store instanceof SupportsBatchScans batches) {
      assertThatThrownBy(() -> batches.planBatchScan(TABLE, ScanRequest.latest(), 10))
          .isExactlyInstanceOf(IllegalStateException.class);
    }
    if (store instanceof SupportsDeletes deletes) {
      assertThatThrownBy(() -> deletes.eraseEntity(TABLE, Map.of("user_id", "u")))
          .isExactlyInstanceOf(IllegalStateException.class);
    }
    if (dropsTables()) {
      assertThatThrownBy(() -> store.dropTable(TABLE))
          .isExactlyInstanceOf(IllegalStateException.class);
    }
  }

  // ---- dropping tables ----

  /** Dropping a table leaves the others, even those whose names it prefixes, untouched. */
  @Test
  void droppingATableRemovesItAndItsHistory() {
    assumeTrue(dropsTables(), store.displayName() + " does not support dropping tables");
    List<Row> kept = List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L));
    for (String table : List.of("pay", TABLE, "payments_2")) {
      store.createTable(table, PAYMENTS);
      store.append(table, kept);
    }

    store.dropTable(TABLE);

    assertThat(store.tables()).containsExactly("pay", "payments_2");
    assertThat(scanAll("pay")).isEqualTo(kept);
    assertThat(scanAll("payments_2")).isEqualTo(kept);
    assertNotFound(() -> store.schema(TABLE));
    assertNotFound(() -> store.dropTable(TABLE));
    Schema other = Schema.of(Column.nullable("note", ValueType.STRING));
    store.createTable(TABLE, other);
    assertThat(store.schema(TABLE)).isEqualTo(other);
    assertThat(store.snapshots(TABLE)).isEmpty();
    assertThat(scanAll(TABLE)).isEmpty();
    List<Row> fresh = List.of(Row.of(DAY_ONE, DAY_ONE, 9, "new"));
    store.append(TABLE, fresh);
    assertThat(scanAll(TABLE)).isEqualTo(fresh);
  }

  @Test
  void aStoreThatCannotDropTablesSaysSo() {
    assumeFalse(dropsTables(), store.displayName() + " drops tables");
    store.createTable(TABLE, PAYMENTS);

    assertUnsupported(() -> store.dropTable(TABLE));
    assertThat(store.tables()).containsExactly(TABLE);
  }

  // ---- SupportsSnapshotReads ----

  @Test
  void everySnapshotReadsAsOfItsCommit() {
    SupportsSnapshotReads reads = snapshotReadsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    List<List<Row>> batches = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int batch = 0; batch < 3; batch++) {
      List<Row> rows = randomRows(new Random(10 + batch), 20, 4, 1 + batch * 20L);
      batches.add(rows);
      ids.add(reads.append(TABLE, rows));
    }

    List<Row> expected = new ArrayList<>();
    ScanRequest narrowed =
        ScanRequest.latest().withEventTimeRange(at(DAY_ONE + DAY), at(DAY_ONE + 3 * DAY));
    for (int batch = 0; batch < 3; batch++) {
      expected.addAll(batches.get(batch));
      long id = ids.get(batch);
      assertThat(scan(TABLE, ScanRequest.atSnapshot(id))).isEqualTo(bySequence(expected));
      ScanRequest old =
          ScanRequest.atSnapshot(id)
              .withEventTimeRange(at(DAY_ONE + DAY), at(DAY_ONE + 3 * DAY))
              .withColumns(List.of("merchant", "user_id"));
      assertThat(scan(TABLE, old)).isEqualTo(naive(expected, narrowed.withColumns(
          List.of("merchant", "user_id"))));
    }
  }

  @Test
  void anUnknownSnapshotIsNotFound() {
    snapshotReadsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    long id = store.append(TABLE, List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L)));
    long unknown = id == 42 ? 43 : 42;

    assertNotFound(() -> scan(TABLE, ScanRequest.atSnapshot(unknown)));
  }

  @Test
  void snapshotAsOfIsTheLastCommittedAtOrBeforeATime() {
    SupportsSnapshotReads reads = snapshotReadsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    assertThat(reads.snapshotAsOf(TABLE, Instant.now())).isEmpty();
    for (int batch = 0; batch < 3; batch++) {
      reads.append(TABLE, List.of(row(DAY_ONE, batch + 1, "u", 1.0, "m", 1L)));
    }
    List<Snapshot> snapshots = reads.snapshots(TABLE);

    for (Snapshot snapshot : snapshots) {
      Snapshot expected =
          snapshots.stream()
              .filter(s -> !s.committedAt().isAfter(snapshot.committedAt()))
              .reduce((first, second) -> second)
              .orElseThrow();
      assertThat(reads.snapshotAsOf(TABLE, snapshot.committedAt())).contains(expected);
    }
    assertThat(reads.snapshotAsOf(TABLE, snapshots.get(0).committedAt().minusMillis(1)))
        .isEmpty();
    assertThat(reads.snapshotAsOf(TABLE, Instant.MAX)).contains(snapshots.get(2));
  }

  @Test
  void aStoreWithoutSnapshotReadsRefusesAnOlderSnapshot() {
    assumeFalse(store instanceof SupportsSnapshotReads, store.displayName() + " reads snapshots");
    store.createTable(TABLE, PAYMENTS);
    long first = store.append(TABLE, List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L)));
    store.append(TABLE, List.of(row(DAY_ONE, 2, "u2", 1.0, "m", 1L)));

    assertThat(
            catchThrowable(() -> scan(TABLE, ScanRequest.atSnapshot(first))))
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessageStartingWith(store.displayName() + " does not support snapshot reads");
  }

  // ---- SupportsIdempotentAppends ----

  @Test
  void aCommitKeyIsAppendedOnce() {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows = randomRows(new Random(5), 10, 2, 1);

    Appended first = idempotent.append(TABLE, rows, "file-sha256-abc");
    Appended again = idempotent.append(TABLE, neverIterated(), "file-sha256-abc");

    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.snapshot()).isEqualTo(first.snapshot());
    assertThat(store.snapshots(TABLE)).containsExactly(first.snapshot());
    assertThat(scanAll(TABLE)).isEqualTo(rows);
    assertThat(idempotent.findCommit(TABLE, "file-sha256-abc")).contains(first.snapshot());
    assertThat(idempotent.findCommit(TABLE, "file-sha256-xyz")).isEmpty();
  }

  @Test
  void commitKeysBelongToTheirTable() {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    store.createTable("refunds", PAYMENTS);
    List<Row> rows = List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L));

    Appended payments = idempotent.append(TABLE, rows, "2024-03-01.csv");
    Appended refunds = idempotent.append("refunds", rows, "2024-03-01.csv");

    assertThat(payments.duplicate()).isFalse();
    assertThat(refunds.duplicate()).isFalse();
    assertThat(scanAll("refunds")).isEqualTo(rows);
    assertThat(idempotent.findCommit("refunds", "2024-03-01.csv")).contains(refunds.snapshot());
  }

  @Test
  void theRowsOfAKeyedAppendAreIteratedOnce() {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows = randomRows(new Random(6), 30, 2, 1);
    AtomicInteger iterations = new AtomicInteger();
    Iterable<Row> once =
        () -> {
          assertThat(iterations.incrementAndGet()).as("times iterated").isOne();
          return rows.iterator();
        };

    idempotent.append(TABLE, once, "k1");

    assertThat(scanAll(TABLE)).isEqualTo(rows);
  }

  @Test
  void anEmptyKeyedAppendCommitsASnapshotThatRemembersTheKey() {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();
    store.createTable(TABLE, PAYMENTS);

    Appended empty = idempotent.append(TABLE, List.of(), "empty-file");

    assertThat(empty.duplicate()).isFalse();
    assertThat(store.snapshots(TABLE)).containsExactly(empty.snapshot());
    assertThat(idempotent.findCommit(TABLE, "empty-file")).contains(empty.snapshot());
    assertThat(idempotent.append(TABLE, neverIterated(), "empty-file").duplicate()).isTrue();
    assertThat(scanAll(TABLE)).isEmpty();
    assertThat(idempotent.highestSequence(TABLE)).isZero();
  }

  @Test
  void theHighestSequenceIsTheHighestEverAppended() {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    assertThat(idempotent.highestSequence(TABLE)).isZero();

    idempotent.append(TABLE, List.of(row(DAY_ONE, 7, "u", 1.0, "m", 1L),
        row(DAY_ONE, 3, "u", 1.0, "m", 1L)), "a");
    assertThat(idempotent.highestSequence(TABLE)).isEqualTo(7);
    store.append(TABLE, List.of(row(DAY_ONE, 5, "u", 1.0, "m", 1L)));
    assertThat(idempotent.highestSequence(TABLE)).isEqualTo(7);
    store.append(TABLE, List.of(row(DAY_ONE, 20, "u", 1.0, "m", 1L)));
    assertThat(idempotent.highestSequence(TABLE)).isEqualTo(20);
    idempotent.append(TABLE, List.of(row(DAY_ONE, 99, "u", 1.0, "m", 1L)), "a");
    assertThat(idempotent.highestSequence(TABLE)).isEqualTo(20);
    idempotent.append(TABLE, List.of(), "b");
    assertThat(idempotent.highestSequence(TABLE)).isEqualTo(20);
  }

  @Test
  void aKeyedAppendWithARowThatDoesNotFitCommitsNothingAndForgetsTheKey() {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    List<Row> bad = List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L), row(DAY_ONE, 9, null, 1.0,
        "m", 1L));

    assertThatThrownBy(() -> idempotent.append(TABLE, bad, "k"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot ");

    assertThat(store.snapshots(TABLE)).isEmpty();
    assertThat(idempotent.findCommit(TABLE, "k")).isEmpty();
    assertThat(idempotent.highestSequence(TABLE)).isZero();
    List<Row> good = List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L));
    assertThat(idempotent.append(TABLE, good, "k").duplicate()).isFalse();
    assertThat(scanAll(TABLE)).isEqualTo(good);
  }

  @Test
  @Timeout(120)
  void threadsRacingWithOneKeyAppendOnce() throws Exception {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();
    store.createTable(TABLE, PAYMENTS);
    List<Row> rows = randomRows(new Random(7), 20, 2, 1);
    int racers = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<Appended>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return idempotent.append(TABLE, rows, "same-input");
                }));
      }
      start.countDown();
      List<Appended> appended = new ArrayList<>();
      for (Future<Appended> result : results) {
        appended.add(result.get(120, TimeUnit.SECONDS));
      }

      assertThat(appended).filteredOn(a -> !a.duplicate()).hasSize(1);
      assertThat(appended).extracting(a -> a.snapshot().id()).containsOnly(
          appended.get(0).snapshot().id());
      assertThat(scanAll(TABLE)).isEqualTo(rows);
      assertThat(store.snapshots(TABLE)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keyedAppendsToAnUnknownTableAreNotFound() {
    SupportsIdempotentAppends idempotent = idempotentAppendsOrSkip();

    assertNotFound(() -> idempotent.append("orders", List.of(), "k"));
    assertNotFound(() -> idempotent.findCommit("orders", "k"));
    assertNotFound(() -> idempotent.highestSequence("orders"));
  }

  // ---- SupportsBatchScans ----

  @Test
  void batchScansReturnExactlyTheRowsOfTheRowScan() {
    SupportsBatchScans batches = batchScansOrSkip();
    store.createTable(TABLE, PAYMENTS);
    Random random = new Random(8);
    List<Long> ids = new ArrayList<>();
    int appended = 0;
    for (int batch = 0; batch < 3; batch++) {
      List<Row> rows = randomRows(random, 60, 6, appended + 1);
      ids.add(store.append(TABLE, rows));
      appended += rows.size();
    }
    List<String> names = PAYMENTS.columns().stream().map(Column::name).toList();
    List<ScanRequest> requests = new ArrayList<>();
    requests.add(ScanRequest.latest());
    requests.add(ScanRequest.atSnapshot(ids.get(2)).withColumns(List.of("items", "user_id")));
    if (store instanceof SupportsSnapshotReads) {
      requests.add(ScanRequest.atSnapshot(ids.get(0)));
    }
    for (int query = 0; query < 10; query++) {
      requests.add(randomRequest(random, names));
    }

    for (ScanRequest request : requests) {
      List<Row> expected = scan(TABLE, request);
      for (int maxBatchRows : new int[] {1, 7, 1000}) {
        List<Row> rows = new ArrayList<>();
        for (ScanTask task : batches.planBatchScan(TABLE, request, maxBatchRows)) {
          assertThat(task.estimatedRows()).isNotNegative();
          try (CloseableIterator<RowBatch> iterator = task.open()) {
            while (iterator.hasNext()) {
              RowBatch batch = iterator.next();
              assertThat(batch.size()).isBetween(0, maxBatchRows);
              assertThat(batch.schema()).isEqualTo(selected(request));
              rows.addAll(rowsOf(batch));
            }
          }
        }
        assertThat(bySequence(rows)).as("%s in batches of %d", request, maxBatchRows)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  @Timeout(120)
  void scanTasksOpenAgainAndOnAnyThread() throws Exception {
    SupportsBatchScans batches = batchScansOrSkip();
    store.createTable(TABLE, PAYMENTS);
    for (int batch = 0; batch < 4; batch++) {
      store.append(TABLE, randomRows(new Random(20 + batch), 50, 8, 1 + batch * 50L));
    }
    List<ScanTask> tasks = batches.planBatchScan(TABLE, ScanRequest.latest(), 16);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<Row>>> results = new ArrayList<>();
      for (ScanTask task : tasks) {
        results.add(pool.submit(() -> read(task)));
      }
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        List<Row> once = results.get(i).get(60, TimeUnit.SECONDS);
        assertThat(bySequence(read(tasks.get(i)))).isEqualTo(bySequence(once));
        rows.addAll(once);
      }
      assertThat(bySequence(rows)).isEqualTo(scanAll(TABLE));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void batchScansCheckTheirArguments() {
    SupportsBatchScans batches = batchScansOrSkip();
    store.createTable(TABLE, PAYMENTS);

    assertThat(batchScan(TABLE, ScanRequest.latest(), 10)).isEmpty();
    assertThatThrownBy(() -> batches.planBatchScan(TABLE, ScanRequest.latest(), 0))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot ");
    store.append(TABLE, List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L)));
    assertNotFound(
        () -> batches.planBatchScan(TABLE, ScanRequest.latest().withColumns(List.of("x")), 10));
    assertNotFound(() -> batches.planBatchScan("orders", ScanRequest.latest(), 10));
  }

  // ---- SupportsDeletes ----

  @Test
  void erasingAnEntityRemovesItsRowsFromEverySnapshot() {
    SupportsDeletes deletes = deletesOrSkip();
    store.createTable(TABLE, PAYMENTS);
    List<Row> first =
        List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L), row(DAY_ONE, 2, "u2", 2.0, "m", 2L));
    List<Row> second =
        List.of(row(DAY_ONE + DAY, 3, "u1", 3.0, "m", 3L), row(DAY_ONE, 4, "u3", 4.0, "m", 4L));
    store.append(TABLE, first);
    store.append(TABLE, second);

    long erased = deletes.eraseEntity(TABLE, Map.of("user_id", "u1"));

    assertThat(erased).isEqualTo(2);
    assertThat(store.currentSnapshot(TABLE).map(Snapshot::operation))
        .contains(Snapshot.Operation.DELETE);
    assertThat(scanAll(TABLE)).extracting(row -> row.value(0)).containsExactly("u2", "u3");
    if (store instanceof SupportsSnapshotReads) {
      for (Snapshot snapshot : store.snapshots(TABLE)) {
        assertThat(scan(TABLE, ScanRequest.atSnapshot(snapshot.id())))
            .extracting(row -> row.value(0))
            .doesNotContain("u1");
      }
    }
    List<Snapshot> before = store.snapshots(TABLE);
    assertThat(deletes.eraseEntity(TABLE, Map.of("user_id", "u1"))).isZero();
    assertThat(store.snapshots(TABLE)).isEqualTo(before);
  }

  @Test
  void erasingChecksTheEntityKey() {
    SupportsDeletes deletes = deletesOrSkip();
    store.createTable(TABLE, PAYMENTS);
    store.append(TABLE, List.of(row(DAY_ONE, 1, "u1", 1.0, "m", 1L)));

    assertThatThrownBy(() -> deletes.eraseEntity(TABLE, Map.of()))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> deletes.eraseEntity(TABLE, Map.of("user_id", 1L)))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertNotFound(() -> deletes.eraseEntity(TABLE, Map.of("card", "u1")));
    assertNotFound(() -> deletes.eraseEntity("orders", Map.of("user_id", "u1")));
    assertThat(scanAll(TABLE)).hasSize(1);
  }

  // ---- capabilities a store lacks ----

  /** For each capability mix-in the store lacks, {@link Capabilities#require} names both. */
  @Test
  void aMissingCapabilityIsReportedWithTheBackendAndTheOperation() {
    Map<Class<?>, String> capabilities = new LinkedHashMap<>();
    capabilities.put(SupportsSnapshotReads.class, "snapshot reads");
    capabilities.put(SupportsIdempotentAppends.class, "idempotent appends");
    capabilities.put(SupportsBatchScans.class, "batch scans");
    capabilities.put(SupportsDeletes.class, "erasing entities");
    capabilities.keySet().removeIf(capability -> capability.isInstance(store));
    assumeFalse(capabilities.isEmpty(), store.displayName() + " has every capability");

    capabilities.forEach(
        (capability, operation) ->
            assertThatThrownBy(() -> Capabilities.require(store, capability, operation))
                .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
                .hasMessage(store.displayName() + " does not support " + operation)
                .satisfies(
                    e -> {
                      var unsupported = (UnsupportedBackendOperationException) e;
                      assertThat(unsupported.backend()).isEqualTo(store.displayName());
                      assertThat(unsupported.operation()).isEqualTo(operation);
                    }));
  }

  // ---- helpers ----

  /** A row of {@link #PAYMENTS}, ingested 5 ms after its event time. */
  protected static Row row(
      long eventTime, long sequence, String user, Double amount, String merchant, Long items) {
    return Row.of(eventTime, eventTime + 5, sequence, user, amount, merchant, items);
  }

  /**
   * {@code count} random rows of {@link #PAYMENTS} over {@code days} days from {@link #DAY_ONE},
   * sequences from {@code firstSequence}, about a tenth of each nullable value null.
   */
  protected static List<Row> randomRows(Random random, int count, int days, long firstSequence) {
    List<Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long eventTime = DAY_ONE + (long) (random.nextDouble() * days * DAY);
      rows.add(
          Row.of(
              eventTime,
              eventTime + random.nextInt(60_000),
              firstSequence + i,
              "user-" + random.nextInt(100),
              random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 100_000) / 100.0,
              random.nextInt(10) == 0 ? null : "merchant-" + random.nextInt(50) + "-é",
              random.nextInt(10) == 0 ? null : (long) random.nextInt(20)));
    }
    return rows;
  }

  /** Every row of the current snapshot of {@code table}, sorted by sequence. */
  protected final List<Row> scanAll(String table) {
    return scan(table, ScanRequest.latest());
  }

  /** The rows {@code request} selects from {@code table}, sorted by sequence. */
  protected final List<Row> scan(String table, ScanRequest request) {
    return scan(store, table, request);
  }

  private static List<Row> scan(OfflineStore store, String table, ScanRequest request) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> iterator = store.scan(table, request)) {
      iterator.forEachRemaining(rows::add);
    }
    return bySequence(rows);
  }

  private List<Row> batchScan(String table, ScanRequest request, int maxBatchRows) {
    List<Row> rows = new ArrayList<>();
    for (ScanTask task :
        ((SupportsBatchScans) store).planBatchScan(table, request, maxBatchRows)) {
      rows.addAll(read(task));
    }
    return bySequence(rows);
  }

  private static List<Row> read(ScanTask task) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<RowBatch> batches = task.open()) {
      batches.forEachRemaining(batch -> rows.addAll(rowsOf(batch)));
    }
    return rows;
  }

  private static List<Row> rowsOf(RowBatch batch) {
    List<Row> rows = new ArrayList<>(batch.size());
    for (int row = 0; row < batch.size(); row++) {
      List<Object> values = new ArrayList<>(batch.schema().size());
      for (int column = 0; column < batch.schema().size(); column++) {
        values.add(batch.value(column, row));
      }
      rows.add(
          new Row(batch.eventTimes()[row], batch.ingestTimes()[row], batch.sequences()[row], values));
    }
    return rows;
  }

  private static List<Row> bySequence(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingLong(Row::sequence));
    return sorted;
  }

  /** What {@code request} selects from {@code rows} of {@link #PAYMENTS}, by sequence. */
  private static List<Row> naive(List<Row> rows, ScanRequest request) {
    List<Row> selected = new ArrayList<>();
    for (Row row : rows) {
      if (!request.includes(row.eventTimeMillis())) {
        continue;
      }
      if (request.columns().isEmpty()) {
        selected.add(row);
        continue;
      }
      List<Object> values = new ArrayList<>();
      for (String column : request.columns()) {
        values.add(row.value(PAYMENTS.position(column)));
      }
      selected.add(new Row(row.eventTimeMillis(), row.ingestTimeMillis(), row.sequence(), values));
    }
    return bySequence(selected);
  }

  private static Schema selected(ScanRequest request) {
    return request.columns().isEmpty() ? PAYMENTS : PAYMENTS.select(request.columns());
  }

  /** A random event-time range (either bound may be open) and a random projection. */
  private static ScanRequest randomRequest(Random random, List<String> names) {
    Instant from =
        random.nextInt(4) == 0 ? null : at(DAY_ONE - DAY + (long) (random.nextDouble() * 12 * DAY));
    Instant to =
        random.nextInt(4) == 0 ? null : at(DAY_ONE + (long) (random.nextDouble() * 12 * DAY));
    if (from != null && to != null && from.isAfter(to)) {
      Instant swap = from;
      from = to;
      to = swap;
    }
    List<String> columns = new ArrayList<>();
    for (String name : names) {
      if (random.nextBoolean()) {
        columns.add(name);
      }
    }
    Collections.shuffle(columns, random);
    return ScanRequest.latest().withEventTimeRange(from, to).withColumns(columns);
  }

  private List<Long> times(ScanRequest request) {
    return scan(TABLE, request).stream().map(Row::eventTimeMillis).sorted().toList();
  }

  private static Instant at(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  /** Rows that fail the test if iterated: a duplicate keyed append must not read its input. */
  private static Iterable<Row> neverIterated() {
    return () -> {
      throw new AssertionError("the rows of a duplicate append were iterated");
    };
  }

  private OfflineStore reopenOrSkip() {
    OfflineStore again = reopen();
    assumeTrue(again != null, store.displayName() + " cannot be reopened");
    reopened.add(again);
    return again;
  }

  private SupportsSnapshotReads snapshotReadsOrSkip() {
    assumeTrue(
        store instanceof SupportsSnapshotReads,
        store.displayName() + " does not support snapshot reads");
    return (SupportsSnapshotReads) store;
  }

  private SupportsIdempotentAppends idempotentAppendsOrSkip() {
    assumeTrue(
        store instanceof SupportsIdempotentAppends,
        store.displayName() + " does not support idempotent appends");
    return (SupportsIdempotentAppends) store;
  }

  private SupportsBatchScans batchScansOrSkip() {
    assumeTrue(
        store instanceof SupportsBatchScans, store.displayName() + " does not support batch scans");
    return (SupportsBatchScans) store;
  }

  private SupportsDeletes deletesOrSkip() {
    assumeTrue(
        store instanceof SupportsDeletes, store.displayName() + " does not support erasing entities");
    return (SupportsDeletes) store;
  }

  private static void assertNotFound(Runnable call) {
    assertThatThrownBy(call::run)
        .isExactlyInstanceOf(NotFoundException.class)
        .hasMessageStartingWith("Cannot ");
  }

  private void assertUnsupported(Runnable call) {
    assertThatThrownBy(call::run)
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessageStartingWith(store.displayName() + " does not support ");
  }
}
