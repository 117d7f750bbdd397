package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.Snapshot;
import dev.lockstep.spi.offline.SupportsBatchScans;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import dev.lockstep.spi.offline.SupportsOrphanCleanup;
import dev.lockstep.spi.offline.SupportsSchemaEvolution;
import dev.lockstep.spi.offline.SupportsSnapshotReads;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.UncheckedSQLException;

/**
 * The embedded offline store: Iceberg v2 tables of zstd Parquet files in a local warehouse
 * directory, catalogued by Iceberg's {@code JdbcCatalog} in the SQLite file {@code
 * <warehouse>/catalog.db} under namespace {@code lockstep}. Spark, Trino or DuckDB can read the
 * tables as ordinary Iceberg tables; their layout is described in {@code TableLayout}. Load it with
 * {@code Backends.load(OfflineStore.class, "iceberg", Map.of("warehouse", dir))}.
 *
 * <p>Table names are lower-case letters, digits and underscores; payload columns may not be named
 * {@code event_time}, {@code ingest_time} or {@code sequence}, which every table has.
 *
 * <p>Thread-safe. Every call loads the table's current metadata from the catalog, so it sees
 * commits made by other stores and processes on the same warehouse. Concurrent appends, from
 * threads or processes, all succeed: a commit that loses a race is retried on the new state, and an
 * idempotent append first looks for its key again. {@link #findCommit} and the duplicate check see
 * the history of the current snapshot, back to the oldest snapshot Iceberg has not expired. Batch
 * scans read Parquet directly and refuse tables holding row-level delete files, which only another
 * engine could have written; {@link #scan} applies them.
 */
public final class IcebergOfflineStore
    implements OfflineStore, SupportsSnapshotReads, SupportsIdempotentAppends, SupportsBatchScans,
        SupportsOrphanCleanup, SupportsSchemaEvolution {
  private final Path warehouse;
  private final Configuration conf;
  private final JdbcCatalog catalog;
  private volatile boolean closed;

  private IcebergOfflineStore(Path warehouse, Configuration conf, JdbcCatalog catalog) {
    this.warehouse = warehouse;
    this.conf = conf;
    this.catalog = catalog;
  }

  /** Opens the store in {@code warehouse}, creating the directory and the catalog if needed. */
  static IcebergOfflineStore open(Path warehouse) {
    Path absolute = warehouse.toAbsolutePath().normalize();
    Configuration conf = WarehouseCatalog.hadoopConf();
    return new IcebergOfflineStore(absolute, conf, WarehouseCatalog.open(absolute, conf));
  }

  @Override
  public String name() {
    return IcebergOfflineStoreFactory.NAME;
  }

  @Override
  public String displayName() {
    return "Iceberg";
  }

  @Override
  public void createTable(String table, Schema schema) {
    checkOpen();
    TableLayout.checkTableName("create table", table);
    org.apache.iceberg.Schema icebergSchema = TableLayout.icebergSchema(table, schema);
    call(
        "create table",
        table,
        () -> {
          try {
            catalog
                .buildTable(WarehouseCatalog.identifier(table), icebergSchema)
                .withPartitionSpec(TableLayout.partitionSpec(icebergSchema))
                .withProperties(TableLayout.tableProperties())
                .create();
          } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
            throw new AlreadyExistsException(
                "Cannot create table '" + table + "': it already exists in iceberg");
          }
          return null;
        });
  }

  @Override
  public List<String> tables() {
    checkOpen();
    return call(
        "list tables",
        null,
        () ->
            catalog.listTables(WarehouseCatalog.NAMESPACE).stream()
                .map(TableIdentifier::name)
                .sorted()
                .toList());
  }

  @Override
  public Schema schema(String table) {
    return TableLayout.lockstepSchema(table, load("read the schema of table", table).schema());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes one Parquet file per day of event time (more if a day exceeds the table's target file
   * size) and commits them as one Iceberg {@code append} snapshot.
   */
  @Override
  public long append(String table, List<Row> rows) {
    checkOpen();
    if (rows.isEmpty()) {
      TableLayout.checkTableName("append to table", table);
      throw new IllegalArgumentException(
          "Cannot append to table '" + table + "': no rows (pass at least one row)");
    }
    return appendRows(table, rows, null).snapshot().id();
  }

  @Override
  public Appended append(String table, Iterable<Row> rows, String commitKey) {
    checkOpen();
    if (commitKey == null || commitKey.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot append to table '"
              + table
              + "': the commit key is blank (derive it from the input)");
    }
    return appendRows(table, rows, commitKey);
  }

  private Appended appendRows(String table, Iterable<Row> rows, String commitKey) {
    Table loaded = load("append to table", table);
    Schema schema = TableLayout.lockstepSchema(table, loaded.schema());
    long[] highest = {Long.MIN_VALUE};
    Commits.Outcome outcome =
        call(
            "append to table",
            table,
            () -> {
              if (commitKey != null) {
                Optional<org.apache.iceberg.Snapshot> earlier = Commits.find(loaded, commitKey);
                if (earlier.isPresent()) {
                  return new Commits.Outcome(earlier.get(), true);
                }
              }
              // rows are validated as they stream into the data files, in one pass
              List<DataFile> files =
                  DataFileWriter.write(
                      loaded,
                      rows,
                      row -> {
                        schema.validate(row); // times included: Row.storableTime
                        highest[0] = Math.max(highest[0], row.sequence());
                      });
              return Commits.append(table, loaded, files, highest[0], commitKey);
            });
    return new Appended(Commits.toLockstep(outcome.snapshot()), outcome.duplicate());
  }

  @Override
  public Optional<Snapshot> findCommit(String table, String commitKey) {
    Table loaded = load("find a commit in table", table);
    return Commits.find(loaded, commitKey).map(Commits::toLockstep);
  }

  @Override
  public long highestSequence(String table) {
    Table loaded = load("read the highest sequence of table", table);
    return Commits.highestSequence(loaded, loaded.currentSnapshot());
  }

  @Override
  public CloseableIterator<Row> scan(String table, ScanRequest request) {
    Table loaded = load("scan table", table);
    Schema selected = selected(table, loaded, request);
    Long snapshotId = snapshotId(table, loaded, request);
    if (snapshotId == null) {
      return CloseableIterator.of(Collections.emptyIterator());
    }
    List<String> columns = selected.columns().stream().map(Column::name).toList();
    return call(
        "scan table", table, () -> RowScan.open(table, loaded, snapshotId, request, columns));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Tasks are Iceberg's planned splits of about 32 MB: larger data files are split at row-group
   * boundaries, smaller ones combined.
   *
   * @throws BackendException if the table holds row-level delete files
   */
  @Override
  public List<ScanTask> planBatchScan(String table, ScanRequest request, int maxBatchRows) {
    checkOpen();
    if (maxBatchRows < 1) {
      throw new IllegalArgumentException(
          "Cannot plan a batch scan of table '"
              + table
              + "': maxBatchRows is "
              + maxBatchRows
              + " (pass at least 1)");
    }
    Table loaded = load("scan table", table);
    Schema selected = selected(table, loaded, request);
    Long snapshotId = snapshotId(table, loaded, request);
    if (snapshotId == null) {
      return List.of();
    }
    return call(
        "scan table",
        table,
        () -> BatchScan.plan(table, loaded, snapshotId, request, selected, maxBatchRows, conf));
  }

  private static Schema selected(String table, Table loaded, ScanRequest request) {
    Schema schema = TableLayout.lockstepSchema(table, loaded.schema());
    return request.columns().isEmpty() ? schema : schema.select(request.columns());
  }

  /** The snapshot a request reads, or null if it reads the current one of a table without any. */
  private static Long snapshotId(String table, Table loaded, ScanRequest request) {
    if (request.snapshotId().isEmpty()) {
      org.apache.iceberg.Snapshot current = loaded.currentSnapshot();
      return current == null ? null : current.snapshotId();
    }
    long id = request.snapshotId().getAsLong();
    if (loaded.snapshot(id) == null) {
      throw new NotFoundException(
          "Cannot scan table '"
              + table
              + "' at snapshot "
              + id
              + ": no such snapshot in iceberg (list the readable ones with snapshots())");
    }
    return id;
  }

  @Override
  public List<Snapshot> snapshots(String table) {
    return Commits.history(load("list the snapshots of table", table));
  }

  /** Drops {@code table} and deletes its data and metadata files. */
  @Override
  public void dropTable(String table) {
    checkOpen();
    TableLayout.checkTableName("drop table", table);
    boolean dropped =
        call(
            "drop table", table, () -> catalog.dropTable(WarehouseCatalog.identifier(table), true));
    if (!dropped) {
      throw notFound("drop table", table);
    }
  }

  @Override
  public void evolveSchema(String table, Schema schema) {
    Table loaded = load("change the columns of table", table);
    Schema current = TableLayout.lockstepSchema(table, loaded.schema());
    if (current.equals(schema)) {
      return;
    }
    String incompatibility = SupportsSchemaEvolution.incompatibility(current, schema);
    if (incompatibility != null) {
      throw new IllegalArgumentException("Cannot change the columns of table '" + table + "': " + incompatibility);
    }
    call("change the columns of table", table, () -> {
      TableLayout.evolve(loaded, current, schema);
      return null;
    });
  }

  @Override
  public List<String> removeOrphanFiles(String table, java.time.Instant olderThan, boolean dryRun) {
    Table loaded = load("clean the orphan files of table", table);
    return call("clean the orphan files of table", table, () -> OrphanFiles.remove(loaded, olderThan, dryRun));
  }

  /** Closes the catalog's connections. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      WarehouseCatalog.close(catalog, warehouse);
    }
  }

  private Table load(String operation, String table) {
    checkOpen();
    TableLayout.checkTableName(operation, table);
    return call(
        operation,
        table,
        () -> {
          try {
            return catalog.loadTable(WarehouseCatalog.identifier(table));
          } catch (NoSuchTableException e) {
            throw notFound(operation, table);
          }
        });
  }

  private NotFoundException notFound(String operation, String table) {
    List<String> tables = tables();
    return new NotFoundException(
        "Cannot "
            + operation
            + " '"
            + table
            + "': no such table in iceberg (tables: "
            + (tables.isEmpty() ? "none" : String.join(", ", tables))
            + ")");
  }

  /** Runs an Iceberg call, turning I/O failures into a {@link BackendException}. */
  private <T> T call(String operation, String table, Supplier<T> action) {
    try {
      return action.get();
    } catch (UncheckedIOException | UncheckedSQLException e) {
      throw new BackendException(
          "Cannot "
              + operation
              + (table == null ? "" : " '" + table + "'")
              + ": "
              + e.getMessage()
              + " (check the warehouse "
              + warehouse
              + ")",
          e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "Cannot use the iceberg offline store of "
              + warehouse
              + ": it is closed (open a new one)");
    }
  }
}
