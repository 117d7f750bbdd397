package dev.lockstep.embedded.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.NotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcebergTableReaderTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "count", Types.IntegerType.get()),
          Types.NestedField.optional(3, "score", Types.DoubleType.get()),
          Types.NestedField.optional(4, "ratio", Types.FloatType.get()),
          Types.NestedField.optional(5, "name", Types.StringType.get()),
          Types.NestedField.optional(6, "local_time", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(7, "utc_time", Types.TimestampType.withZone()),
          Types.NestedField.optional(8, "flag", Types.BooleanType.get()));

  private static final Instant WHEN = Instant.parse("2024-03-01T10:15:30.123456Z");

  /** An external table written with Iceberg's own writers, unpartitioned, one data file. */
  private Path externalTable(boolean withRows) throws IOException {
    Path location = dir.resolve("profiles");
    Table table =
        new HadoopTables(new Configuration())
            .create(
                SCHEMA,
                PartitionSpec.unpartitioned(),
                SortOrder.unsorted(),
                Map.of(),
                location.toString());
    if (!withRows) {
      return location;
    }
    DataWriter<org.apache.iceberg.data.Record> writer =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .build()
            .newDataWriter(
                OutputFileFactory.builderFor(table, 0, 0)
                    .format(FileFormat.PARQUET)
                    .build()
                    .newOutputFile(),
                table.spec(),
                null);
    GenericRecord full = GenericRecord.create(SCHEMA);
    full.set(0, 1L);
    full.set(1, 7);
    full.set(2, 2.5);
    full.set(3, 0.5f);
    full.set(4, "ada");
    full.set(5, LocalDateTime.ofInstant(WHEN, ZoneOffset.UTC));
    full.set(6, OffsetDateTime.ofInstant(WHEN, ZoneOffset.UTC));
    full.set(7, true);
    GenericRecord empty = GenericRecord.create(SCHEMA);
    empty.set(0, 2L);
    try (writer) {
      writer.write(full);
      writer.write(empty);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
    return location;
  }

  @Test
  void columnsReportTheirIcebergTypesAndZones() throws IOException {
    IcebergTableReader reader = IcebergTableReader.open(externalTable(true));

    assertThat(reader.columns())
        .extracting(IcebergTableReader.SourceColumn::name)
        .containsExactly("id", "count", "score", "ratio", "name", "local_time", "utc_time", "flag");
    assertThat(reader.columns())
        .extracting(column -> column.type().toString())
        .containsExactly(
            "long", "int", "double", "float", "string", "timestamp", "timestamptz", "boolean");
    assertThat(reader.columns())
        .filteredOn(IcebergTableReader.SourceColumn::isTimestamp)
        .extracting(IcebergTableReader.SourceColumn::withZone)
        .containsExactly(false, true);
    assertThat(reader.columns().get(0).nullable()).isFalse();
    assertThat(reader.columns().get(7).readable()).isFalse();
    assertThat(reader.snapshotId()).isPresent();
  }

  @Test
  void rowsComeBackAsLongsDoublesStringsAndEpochMillis() throws IOException {
    IcebergTableReader reader = IcebergTableReader.open(externalTable(true));
    List<String> columns =
        List.of("utc_time", "id", "count", "score", "ratio", "name", "local_time");

    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterator<Object[]> iterator = reader.rows(columns)) {
      iterator.forEachRemaining(rows::add);
    }

    rows.sort((a, b) -> Long.compare((Long) a[1], (Long) b[1]));
    long millis = WHEN.toEpochMilli();
    assertThat(rows.get(0)).containsExactly(millis, 1L, 7L, 2.5, 0.5, "ada", millis);
    assertThat(rows.get(1)).containsExactly(null, 2L, null, null, null, null, null);
  }

  @Test
  void unreadableAndMissingColumnsAreRejected() throws IOException {
    IcebergTableReader reader = IcebergTableReader.open(externalTable(true));
    String location = reader.location();

    assertThatThrownBy(() -> reader.rows(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read column 'flag' of the Iceberg table at "
                + location
                + ": its type boolean is not supported (read long, int, double, float, string and"
                + " timestamp columns only)");
    assertThatThrownBy(() -> reader.rows(List.of("nope")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(
            "Cannot read column 'nope' of the Iceberg table at "
                + location
                + ": no such column (columns: id, count, score, ratio, name, local_time, utc_time,"
                + " flag)");
  }

  @Test
  void aTableWithoutSnapshotsHasNoRowsAndAMissingTableIsNotFound() throws IOException {
    IcebergTableReader reader = IcebergTableReader.open(externalTable(false));

    assertThat(reader.snapshotId()).isEmpty();
    try (CloseableIterator<Object[]> rows = reader.rows(List.of("id"))) {
      assertThat(rows.hasNext()).isFalse();
    }
    Path missing = dir.resolve("missing").toAbsolutePath();
    assertThatThrownBy(() -> IcebergTableReader.open(missing))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(
            "Cannot open the Iceberg table at "
                + missing
                + ": no table there (give the table's root directory, the one holding metadata/)");
  }
}
