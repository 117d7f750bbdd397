package dev.lockstep.embedded.iceberg;

import static dev.lockstep.embedded.iceberg.Payments.DAY;
import static dev.lockstep.embedded.iceberg.Payments.DAY_ONE;
import static dev.lockstep.embedded.iceberg.Payments.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.spi.offline.Row;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's tables read as ordinary Iceberg tables by Iceberg's own client, not by the store. */
class PlainIcebergTablesTest {
  @TempDir Path warehouse;

  private static final List<Row> ROWS =
      List.of(
          row(DAY_ONE + 1_234, 1, "c1", 12.5, "m1", 3L),
          row(DAY_ONE + DAY + 9, 2, "c2", null, null, null));

  /** A catalog configured by hand, as a Spark or Trino user would: URI, name and warehouse. */
  private JdbcCatalog freshCatalog() {
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(
        "lockstep",
        Map.of(
            "uri",
            "jdbc:sqlite:" + warehouse.resolve("catalog.db"),
            "warehouse",
            warehouse.toString(),
            "jdbc.schema-version",
            "V1"));
    return catalog;
  }

  @Test
  void icebergReadsTheRowsWithItsGenericReader() throws IOException {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);
      store.append("payments", ROWS);
    }

    try (JdbcCatalog catalog = freshCatalog()) {
      Table table = catalog.loadTable(TableIdentifier.of("lockstep", "payments"));
      List<Record> records = new ArrayList<>();
      try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
        read.forEach(record -> records.add(record.copy()));
      }
      records.sort(
          (a, b) -> Long.compare((Long) a.getField("sequence"), (Long) b.getField("sequence")));

      assertThat(records).hasSize(2);
      Record first = records.get(0);
      assertThat(first.getField("event_time"))
          .isEqualTo(
              OffsetDateTime.ofInstant(Instant.ofEpochMilli(DAY_ONE + 1_234), ZoneOffset.UTC));
      assertThat(first.getField("ingest_time"))
          .isEqualTo(
              OffsetDateTime.ofInstant(Instant.ofEpochMilli(DAY_ONE + 1_239), ZoneOffset.UTC));
      assertThat(first.getField("card_id")).isEqualTo("c1");
      assertThat(first.getField("amount")).isEqualTo(12.5);
      assertThat(first.getField("merchant")).isEqualTo("m1");
      assertThat(first.getField("items")).isEqualTo(3L);
      Record second = records.get(1);
      assertThat(second.getField("sequence")).isEqualTo(2L);
      assertThat(second.getField("amount")).isNull();
      assertThat(second.getField("merchant")).isNull();
      assertThat(second.getField("items")).isNull();
    }
  }

  @Test
  void theTableIsFormatTwoPartitionedByDayWithTypedRequiredColumns() throws IOException {
    try (IcebergOfflineStore store = IcebergOfflineStore.open(warehouse)) {
      store.createTable("payments", Payments.SCHEMA);
      store.append("payments", ROWS);
    }

    try (JdbcCatalog catalog = freshCatalog()) {
      Table table = catalog.loadTable(TableIdentifier.of("lockstep", "payments"));

      assertThat(((HasTableOperations) table).operations().current().formatVersion()).isEqualTo(2);
      assertThat(table.spec().fields()).hasSize(1);
      assertThat(table.spec().fields().get(0).transform().toString()).isEqualTo("day");
      assertThat(table.schema().findField(table.spec().fields().get(0).sourceId()).name())
          .isEqualTo("event_time");
      assertThat(table.schema().columns())
          .extracting(
              Types.NestedField::name,
              field -> field.type().toString(),
              Types.NestedField::isRequired)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("event_time", "timestamptz", true),
              org.assertj.core.groups.Tuple.tuple("ingest_time", "timestamptz", true),
              org.assertj.core.groups.Tuple.tuple("sequence", "long", true),
              org.assertj.core.groups.Tuple.tuple("card_id", "string", true),
              org.assertj.core.groups.Tuple.tuple("amount", "double", false),
              org.assertj.core.groups.Tuple.tuple("merchant", "string", false),
              org.assertj.core.groups.Tuple.tuple("items", "long", false));
      assertThat(table.properties())
          .containsEntry("write.parquet.compression-codec", "zstd")
          .containsEntry("write.parquet.row-group-size-bytes", "33554432")
          .containsEntry("lockstep.format", "lockstep-offline-table")
          .containsEntry("lockstep.format-version", "1");

      List<DataFile> files = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(task -> files.add(task.file()));
      }
      assertThat(files)
          .hasSize(2)
          .allSatisfy(file -> assertThat(file.format().name()).isEqualTo("PARQUET"));
      assertThat(files)
          .extracting(file -> table.spec().partitionToPath(file.partition()))
          .containsExactlyInAnyOrder("event_time_day=2024-03-01", "event_time_day=2024-03-02");
      for (DataFile file : files) {
        try (ParquetFileReader reader =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.location()), new Configuration()))) {
          assertThat(reader.getRowGroups().get(0).getColumns())
              .allSatisfy(
                  column -> assertThat(column.getCodec()).isEqualTo(CompressionCodecName.ZSTD));
        }
      }
    }
  }
}
