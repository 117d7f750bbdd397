package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.offline.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Writes rows as Parquet data files of a table, one or more per day partition, without committing
 * them. The caller commits the returned files, or deletes them if it cannot.
 */
final class DataFileWriter {
  private DataFileWriter() {}

  /**
   * Writes {@code rows} to new data files of {@code table}, iterating them once and passing each to
   * {@code check} (which validates it against the table's schema, or throws) before writing it.
   *
   * @throws UncheckedIOException if a file cannot be written; files written so far are deleted
   */
  static List<DataFile> write(Table table, Iterable<Row> rows, Consumer<Row> check) {
    org.apache.iceberg.Schema schema = table.schema();
    PartitionSpec spec = table.spec();
    GenericFileWriterFactory writerFactory =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(schema)
            .build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    long targetFileSize =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    FanoutDataWriter<org.apache.iceberg.data.Record> writer =
        new FanoutDataWriter<>(writerFactory, files, table.io(), targetFileSize);
    // One record and one key, reused: the Parquet writer copies values out at once, and the fanout
    // writer copies a partition key the first time it sees it.
    GenericRecord record = GenericRecord.create(schema);
    PartitionKey partition = new PartitionKey(spec, schema);
    int payloadStart = TableLayout.RESERVED.size();
    try {
      for (Row row : rows) {
        check.accept(row);
        record.set(0, timestamp(row.eventTimeMillis()));
        record.set(1, timestamp(row.ingestTimeMillis()));
        record.set(2, row.sequence());
        for (int i = 0; i < row.size(); i++) {
          record.set(payloadStart + i, row.value(i));
        }
        partition.set(0, TableLayout.day(row.eventTimeMillis()));
        writer.write(record, spec, partition);
      }
      writer.close();
    } catch (IOException | RuntimeException e) {
      closeQuietly(writer, e);
      // The fanout writer does not tell which files it completed before failing: none is committed
      // and the leftovers are orphans that Iceberg's remove-orphan-files action can collect.
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
    return writer.result().dataFiles();
  }

  /** Through {@code LocalDateTime}: {@code Instant.atOffset} builds new zone rules per call. */
  private static OffsetDateTime timestamp(long millis) {
    long seconds = Math.floorDiv(millis, 1000L);
    int nanos = (int) Math.floorMod(millis, 1000L) * 1_000_000;
    return OffsetDateTime.of(
        LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC), ZoneOffset.UTC);
  }

  private static void closeQuietly(FanoutDataWriter<?> writer, Exception failure) {
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
