package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.FileScanTask;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads row batches from parts of Parquet data files straight into primitive arrays, page by page
 * with {@link ColumnDecoder}: no record objects and no per-value calls into Parquet.
 *
 * <p><b>Algorithm.</b> For each file part (the row groups whose midpoint lies in the planned byte
 * range, as Iceberg splits files), only the needed column chunks are read; columns are matched by
 * Iceberg field id. A row group whose event-time statistics lie outside the requested range is
 * skipped unread; one that lies wholly inside it is returned unfiltered; any other is read and its
 * rows filtered exactly. A batch never spans two row groups, so batches may be smaller than the
 * maximum, but never empty.
 */
final class ParquetBatchReader implements CloseableIterator<RowBatch> {

  /**
   * What to read: the returned columns, the Iceberg field ids of event time, ingest time, sequence
   * and then of each returned column, the event-time range and the largest batch.
   */
  record Layout(
      String tableName, Schema selected, int[] fieldIds, ScanRequest request, int maxBatchRows) {}

  private final List<FileScanTask> files;
  private final Layout layout;
  private final Configuration conf;
  private final long fromMicros;
  private final long toMicros;
  private int nextFile;
  private String location;
  private ParquetFileReader reader;
  private ColumnDecoder[] decoders;
  private List<BlockMetaData> rowGroups;
  private int nextRowGroup;
  private long remainingInRowGroup;
  private boolean filterRowGroup;
  private RowBatch next;
  private boolean closed;

  ParquetBatchReader(List<FileScanTask> files, Layout layout, Configuration conf) {
    this.files = files;
    this.layout = layout;
    this.conf = conf;
    ScanRequest request = layout.request();
    this.fromMicros =
        request
            .eventTimeFrom()
            .map(from -> TableLayout.micros(from.toEpochMilli()))
            .orElse(Long.MIN_VALUE);
    this.toMicros =
        request
            .eventTimeTo()
            .map(to -> TableLayout.micros(to.toEpochMilli()))
            .orElse(Long.MAX_VALUE);
  }

  @Override
  public boolean hasNext() {
    try {
      while (next == null && !closed) {
        if (remainingInRowGroup > 0) {
          next = readBatch();
        } else if (reader != null && nextRowGroup < rowGroups.size()) {
          startRowGroup(rowGroups.get(nextRowGroup++));
        } else if (nextFile < files.size()) {
          closeFile();
          openFile(files.get(nextFile++));
        } else {
          close();
        }
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw new BackendException(
          "Cannot read data file "
              + location
              + " of table '"
              + layout.tableName()
              + "': "
              + e
              + " (check that the warehouse is intact)",
          e);
    }
    return next != null;
  }

  @Override
  public RowBatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RowBatch batch = next;
    next = null;
    return batch;
  }

  private void openFile(FileScanTask task) throws IOException {
    location = task.file().location();
    reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(new Path(location), conf),
            HadoopReadOptions.builder(conf)
                .withRange(task.start(), task.start() + task.length())
                .build());
    MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
    int[] ids = layout.fieldIds();
    List<Type> found = new ArrayList<>();
    decoders = new ColumnDecoder[ids.length];
    for (int i = 0; i < ids.length; i++) {
      Type field = fieldById(fileSchema, ids[i]);
      if (field == null) {
        // Added to the table after this file was written: null in every row of it.
        decoders[i] = ColumnDecoder.missing(kindOf(i));
      } else {
        ColumnDescriptor column = fileSchema.getColumnDescription(new String[] {field.getName()});
        decoders[i] = ColumnDecoder.of(kindOf(i), column);
        found.add(field);
      }
    }
    reader.setRequestedSchema(new MessageType(fileSchema.getName(), found));
    rowGroups = reader.getRowGroups();
    nextRowGroup = 0;
  }

  /** The kind of values of decoder {@code i}: times, sequence, then the selected columns. */
  private ColumnDecoder.Kind kindOf(int i) {
    if (i < 2) {
      return ColumnDecoder.Kind.TIME;
    }
    if (i == 2) {
      return ColumnDecoder.Kind.LONG;
    }
    return switch (layout.selected().columns().get(i - 3).type()) {
      case LONG -> ColumnDecoder.Kind.LONG;
      case DOUBLE -> ColumnDecoder.Kind.DOUBLE;
      case STRING -> ColumnDecoder.Kind.STRING;
    };
  }

  private static Type fieldById(MessageType schema, int id) {
    for (Type field : schema.getFields()) {
      if (field.getId() != null && field.getId().intValue() == id) {
        return field;
      }
    }
    return null;
  }

  private void startRowGroup(BlockMetaData rowGroup) throws IOException {
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    Statistics<?> stats = eventTimeStatistics(rowGroup);
    if (stats != null && !stats.isEmpty() && stats.hasNonNullValue()) {
      min = ((Number) stats.genericGetMin()).longValue();
      max = ((Number) stats.genericGetMax()).longValue();
    }
    if (max < fromMicros || min >= toMicros) {
      reader.skipNextRowGroup();
      return;
    }
    filterRowGroup = min < fromMicros || max >= toMicros;
    PageReadStore pages = reader.readNextRowGroup();
    for (ColumnDecoder decoder : decoders) {
      decoder.startRowGroup(pages);
    }
    remainingInRowGroup = pages.getRowCount();
  }

  private Statistics<?> eventTimeStatistics(BlockMetaData rowGroup) {
    ColumnDescriptor eventTime = decoders[0].descriptor();
    if (eventTime == null) {
      return null;
    }
    for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
      if (chunk.getPath().equals(ColumnPath.get(eventTime.getPath()))) {
        return chunk.getStatistics();
      }
    }
    return null;
  }

  /** Reads the next rows of the current row group; null if the event-time filter drops them all. */
  private RowBatch readBatch() throws IOException {
    int size = (int) Math.min(layout.maxBatchRows(), remainingInRowGroup);
    remainingInRowGroup -= size;
    Object[] values = new Object[decoders.length];
    BitSet[] nulls = new BitSet[decoders.length];
    for (int i = 0; i < decoders.length; i++) {
      nulls[i] = new BitSet();
      values[i] = decoders[i].read(size, nulls[i]);
    }
    if (filterRowGroup) {
      long[] eventTimes = (long[]) values[0];
      BitSet keep = new BitSet(size);
      for (int row = 0; row < size; row++) {
        if (layout.request().includes(eventTimes[row])) {
          keep.set(row);
        }
      }
      int kept = keep.cardinality();
      if (kept == 0) {
        return null;
      }
      if (kept < size) {
        for (int i = 0; i < decoders.length; i++) {
          values[i] = Compaction.select(values[i], keep, kept);
          nulls[i] = Compaction.select(nulls[i], keep);
        }
      }
    }
    int payload = decoders.length - 3;
    Object[] columns = new Object[payload];
    BitSet[] columnNulls = new BitSet[payload];
    System.arraycopy(values, 3, columns, 0, payload);
    System.arraycopy(nulls, 3, columnNulls, 0, payload);
    return new RowBatch(
        layout.selected(),
        (long[]) values[0],
        (long[]) values[1],
        (long[]) values[2],
        columns,
        columnNulls);
  }

  private void closeFile() throws IOException {
    remainingInRowGroup = 0;
    if (reader != null) {
      ParquetFileReader open = reader;
      reader = null;
      open.close();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    next = null;
    try {
      closeFile();
    } catch (IOException e) {
      throw new BackendException(
          "Cannot close data file " + location + " of table '" + layout.tableName() + "': " + e, e);
    }
  }
}
