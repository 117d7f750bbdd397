package dev.lockstep.embedded.iceberg;

import static dev.lockstep.embedded.iceberg.Payments.DAY;
import static dev.lockstep.embedded.iceberg.Payments.DAY_ONE;
import static dev.lockstep.embedded.iceberg.Payments.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcebergOfflineStoreTest {
  @TempDir Path warehouse;
  IcebergOfflineStore store;

  @BeforeEach
  void open() {
    store = IcebergOfflineStore.open(warehouse);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static List<Row> scan(OfflineStore store, String table, ScanRequest request) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> iterator = store.scan(table, request)) {
      iterator.forEachRemaining(rows::add);
    }
    return Payments.bySequence(rows);
  }

  @Test
  void appendedRowsScanBackWithTheirTimesSequencesAndNulls() {
    store.createTable("payments", Payments.SCHEMA);
    List<Row> rows =
        List.of(
            row(DAY_ONE + 1, 1, "c1", 12.5, "m1", 3L),
            row(DAY_ONE + DAY + 7, 2, "c2", null, null, null),
            row(DAY_ONE - 1, 3, "c3", -0.0, "ünïcode ✓", Long.MIN_VALUE),
            row(-1, 4, "before 1970", Double.NaN, "", Long.MAX_VALUE));

    store.append("payments", rows);

    assertThat(scan(store, "payments", ScanRequest.latest())).isEqualTo(rows);
    assertThat(BatchScanTest.batchScan(store, "payments", ScanRequest.latest())).isEqualTo(rows);
    ScanRequest aroundEpoch =
        ScanRequest.latest().withEventTimeRange(Instant.ofEpochMilli(-1), Instant.ofEpochMilli(0));
    assertThat(scan(store, "payments", aroundEpoch)).containsExactly(rows.get(3));
    assertThat(BatchScanTest.batchScan(store, "payments", aroundEpoch))
        .containsExactly(rows.get(3));
  }

  @Test
  void aTableWithoutCommitsScansEmptyAndHasNoSnapshots() {
    store.createTable("payments", Payments.SCHEMA);

    assertThat(scan(store, "payments", ScanRequest.latest())).isEmpty();
    assertThat(store.snapshots("payments")).isEmpty();
    assertThat(store.currentSnapshot("payments")).isEmpty();
  }

  @Test
  void snapshotsAreListedOldestFirstAndOlderOnesCanBeRead() {
    store.createTable("payments", Payments.SCHEMA);
    Row first = row(DAY_ONE, 1, "c1", 1.0, "m", 1L);
    Row second = row(DAY_ONE + 2 * DAY, 2, "c2", 2.0, "m", 2L);
    long firstId = store.append("payments", List.of(first));
    long secondId = store.append("payments", List.of(second));

    List<Snapshot> snapshots = store.snapshots("payments");

    assertThat(snapshots).extracting(Snapshot::id).containsExactly(firstId, secondId);
    assertThat(snapshots).extracting(Snapshot::operation).containsOnly(Snapshot.Operation.APPEND);
    assertThat(snapshots.get(0).committedAt()).isBeforeOrEqualTo(snapshots.get(1).committedAt());
    assertThat(scan(store, "payments", ScanRequest.atSnapshot(firstId))).containsExactly(first);
    assertThat(scan(store, "payments", ScanRequest.atSnapshot(secondId)))
        .containsExactly(first, second);
    assertThat(store.snapshotAsOf("payments", snapshots.get(1).committedAt()))
        .contains(snapshots.get(1));
  }

  @Test
  void anUnknownSnapshotIsNotFound() {
    store.createTable("payments", Payments.SCHEMA);
    store.append("payments", List.of(row(DAY_ONE, 1, "c1", 1.0, "m", 1L)));

    assertThatThrownBy(() -> store.scan("payments", ScanRequest.atSnapshot(42)))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(
            "Cannot scan table 'payments' at snapshot 42: no such snapshot in iceberg (list the"
                + " readable ones with snapshots())");
  }

  @Test
  void theEventTimeRangeIsHalfOpenAndSpansDays() {
    store.createTable("payments", Payments.SCHEMA);
    long from = DAY_ONE + DAY - 10;
    long to = DAY_ONE + 2 * DAY + 10;
    List<Row> rows = new ArrayList<>();
    long[] times = {DAY_ONE, from - 1, from, DAY_ONE + DAY, to - 1, to, to + 3 * DAY};
    for (int i = 0; i < times.length; i++) {
      rows.add(row(times[i], i + 1, "c" + i, (double) i, "m", (long) i));
    }
    store.append("payments", rows);

    List<Row> scanned =
        scan(
            store,
            "payments",
            ScanRequest.latest()
                .withEventTimeRange(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)));

    assertThat(scanned)
        .extracting(Row::eventTimeMillis)
        .containsExactly(from, DAY_ONE + DAY, to - 1);
  }

  @Test
  void aProjectionReturnsTheRequestedColumnsInTheirOrder() {
    store.createTable("payments", Payments.SCHEMA);
    store.append("payments", List.of(row(DAY_ONE, 1, "c1", 9.5, "m1", 4L)));

    List<Row> scanned =
        scan(store, "payments", ScanRequest.latest().withColumns(List.of("items", "card_id")));

    assertThat(scanned).containsExactly(Row.of(DAY_ONE, DAY_ONE + 5, 1, 4L, "c1"));
  }

  @Test
  void anUnknownColumnIsNotFound() {
    store.createTable("payments", Payments.SCHEMA);

    assertThatThrownBy(
            () -> store.scan("payments", ScanRequest.latest().withColumns(List.of("Amount"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Cannot find column 'Amount'");
  }

  @Test
  void tablesAreListedSortedWithTheirSchemasAndCanBeDropped() {
    Schema other = Schema.of(Column.required("user_id", ValueType.LONG));
    store.createTable("users", other);
    store.createTable("payments", Payments.SCHEMA);

    assertThat(store.tables()).containsExactly("payments", "users");
    assertThat(store.schema("payments")).isEqualTo(Payments.SCHEMA);
    assertThat(store.schema("users")).isEqualTo(other);

    store.dropTable("users");

    assertThat(store.tables()).containsExactly("payments");
    assertThatThrownBy(() -> store.schema("users"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(
            "Cannot read the schema of table 'users': no such table in iceberg (tables: payments)");
    assertThatThrownBy(() -> store.dropTable("users")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void scanningAMissingTableNamesTheTablesThereAre() {
    store.createTable("payments", Payments.SCHEMA);

    assertThatThrownBy(() -> store.scan("merchants", ScanRequest.latest()))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Cannot scan table 'merchants': no such table in iceberg (tables: payments)");
  }

  @Test
  void creatingATableTwiceFails() {
    store.createTable("payments", Payments.SCHEMA);

    assertThatThrownBy(() -> store.createTable("payments", Payments.SCHEMA))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Cannot create table 'payments': it already exists in iceberg");
  }

  @Test
  void aReservedColumnNameIsRejected() {
    Schema schema =
        Schema.of(
            Column.required("card_id", ValueType.STRING),
            Column.nullable("event_time", ValueType.LONG));

    assertThatThrownBy(() -> store.createTable("payments", schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create table payments: column 'event_time' is reserved (rename it)");
    assertThatThrownBy(
            () ->
                store.createTable(
                    "payments", Schema.of(Column.nullable("Sequence", ValueType.LONG))))
        .hasMessage("Cannot create table payments: column 'Sequence' is reserved (rename it)");
    assertThat(store.tables()).isEmpty();
  }

  @Test
  void aBadTableNameIsRejected() {
    assertThatThrownBy(() -> store.createTable("Payments-2024", Payments.SCHEMA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot create table 'Payments-2024': a table name is lower-case letters, digits and"
                + " underscores (rename it, e.g. 'payments_2024')");
    assertThatThrownBy(() -> store.scan("../etc", ScanRequest.latest()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot scan table '../etc': a table name is lower-case letters, digits and"
                + " underscores (rename it, e.g. '___etc')");
  }

  @Test
  void anEmptyAppendIsRejected() {
    store.createTable("payments", Payments.SCHEMA);

    assertThatThrownBy(() -> store.append("payments", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot append to table 'payments': no rows (pass at least one row)");
    assertThat(store.snapshots("payments")).isEmpty();
  }

  @Test
  void aRowThatDoesNotFitCommitsNothing() {
    store.createTable("payments", Payments.SCHEMA);
    List<Row> rows =
        List.of(row(DAY_ONE, 1, "c1", 1.0, "m", 1L), row(DAY_ONE, 2, null, 1.0, "m", 1L));

    assertThatThrownBy(() -> store.append("payments", rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot accept row: column 'card_id' is string not null but its value is null");
    assertThat(store.snapshots("payments")).isEmpty();
  }

  @Test
  void aClosedStoreRefusesCalls() {
    store.close();
    store.close();

    assertThatThrownBy(() -> store.tables())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot use the iceberg offline store of ");
  }

  @Test
  void theStoreIsLoadedByNameFromItsWarehouseProperty() {
    store.createTable("payments", Payments.SCHEMA);

    try (OfflineStore loaded =
        Backends.load(OfflineStore.class, "iceberg", Map.of("warehouse", warehouse.toString()))) {
      assertThat(loaded).isInstanceOf(IcebergOfflineStore.class);
      assertThat(loaded.tables()).containsExactly("payments");
    }
    assertThatThrownBy(() -> Backends.load(OfflineStore.class, "iceberg", Map.of()))
        .isInstanceOf(BackendConfigException.class)
        .hasMessageContaining("'warehouse'");
  }
}
