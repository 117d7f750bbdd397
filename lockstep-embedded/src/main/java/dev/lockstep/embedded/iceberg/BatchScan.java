package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsBatchScans.ScanTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CombinedScanTask;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Plans a batch scan with Iceberg (snapshot, partition and file pruning by event time, splitting
 * large files at row-group boundaries and combining small ones into tasks of about {@link
 * #SPLIT_BYTES}, or the table's {@code read.split.target-size} if set) and reads each planned piece
 * with {@link ParquetBatchReader}.
 */
final class BatchScan {
  /**
   * The target bytes of one task: small enough that a few threads share even a small table evenly,
   * large enough that opening files and reading footers stays negligible.
   */
  static final long SPLIT_BYTES = 32L << 20;

  private BatchScan() {}

  /**
   * The tasks of a scan of {@code snapshotId} of {@code table} returning the columns of {@code
   * selected}, which the caller has checked against the table's schema.
   *
   * @throws BackendException if the table holds delete files, which this reader does not apply
   */
  static List<ScanTask> plan(
      String tableName,
      Table table,
      long snapshotId,
      ScanRequest request,
      Schema selected,
      int maxBatchRows,
      Configuration conf) {
    org.apache.iceberg.Schema schema = table.schemas().get(table.snapshot(snapshotId).schemaId());
    if (schema == null) {
      schema = table.schema();
    }
    int[] fieldIds = new int[TableLayout.RESERVED.size() + selected.size()];
    for (int i = 0; i < TableLayout.RESERVED.size(); i++) {
      fieldIds[i] = schema.findField(TableLayout.RESERVED.get(i)).fieldId();
    }
    for (int i = 0; i < selected.size(); i++) {
      Types.NestedField field = schema.findField(selected.columns().get(i).name());
      fieldIds[TableLayout.RESERVED.size() + i] = field.fieldId();
    }
    ParquetBatchReader.Layout layout =
        new ParquetBatchReader.Layout(tableName, selected, fieldIds, request, maxBatchRows);
    List<ScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<CombinedScanTask> planned =
        table
            .newScan()
            .useSnapshot(snapshotId)
            .filter(RowScan.eventTimeFilter(request))
            .ignoreResiduals()
            .option(TableProperties.SPLIT_SIZE, Long.toString(splitBytes(table)))
            .planTasks()) {
      for (CombinedScanTask combined : planned) {
        List<FileScanTask> files = new ArrayList<>(combined.files());
        for (FileScanTask file : files) {
          if (!file.deletes().isEmpty()) {
            throw new BackendException(
                "Cannot scan table '"
                    + tableName
                    + "' in batches: data file "
                    + file.file().location()
                    + " has row-level deletes written by another engine (scan it with scan(), or"
                    + " compact the table)");
          }
        }
        tasks.add(new Task(files, layout, conf));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
  }

  /** The table's {@code read.split.target-size} if someone set it, else {@link #SPLIT_BYTES}. */
  private static long splitBytes(Table table) {
    return PropertyUtil.propertyAsLong(table.properties(), TableProperties.SPLIT_SIZE, SPLIT_BYTES);
  }

  /** One combined Iceberg task: parts of one or more data files, read one after the other. */
  private static final class Task implements ScanTask {
    private final List<FileScanTask> files;
    private final ParquetBatchReader.Layout layout;
    private final Configuration conf;

    Task(List<FileScanTask> files, ParquetBatchReader.Layout layout, Configuration conf) {
      this.files = files;
      this.layout = layout;
      this.conf = conf;
    }

    @Override
    public long estimatedRows() {
      return files.stream().mapToLong(FileScanTask::estimatedRowsCount).sum();
    }

    @Override
    public CloseableIterator<RowBatch> open() {
      return new ParquetBatchReader(files, layout, conf);
    }
  }
}
