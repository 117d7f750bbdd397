package dev.lockstep.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Writes a training set as one ZSTD-compressed Parquet file, a row at a time, in the order given.
 * Pass-through columns keep the Parquet type they were read with; feature columns are {@code
 * INT64}, {@code DOUBLE}, {@code BINARY (STRING)} or standard 3-level {@code LIST}s of them, so
 * that DuckDB, pandas (pyarrow) and Spark read them. All columns are optional (nullable).
 *
 * <p>The same columns, metadata and rows give the same bytes: the footer holds no time, the
 * created-by string is parquet-mr's fixed version string, and key-value metadata is sorted. The
 * footer carries {@code lockstep.format = training-set} and {@code lockstep.format.version = 1}
 * besides the caller's metadata.
 *
 * <p>Not thread-safe. The file is complete only after {@link #close()}.
 */
public final class ParquetDatasetWriter implements Closeable {
  /** Footer key naming the format of Lockstep's Parquet files. */
  public static final String FORMAT_KEY = "lockstep.format";
  /** Footer key holding the version of that format. */
  public static final String FORMAT_VERSION_KEY = "lockstep.format.version";

  private final Path file;
  private final OutputColumn[] columns;
  private final ParquetWriter<Object[]> writer;
  private long rows;

  private ParquetDatasetWriter(Path file, OutputColumn[] columns, ParquetWriter<Object[]> writer) {
    this.file = file;
    this.columns = columns;
    this.writer = writer;
  }

  /**
   * Creates {@code file} for rows of {@code columns}.
   *
   * @param metadata extra footer key-value pairs, such as the manifest's digest; not the format
   *     keys
   * @throws IllegalArgumentException if there are no columns, a name repeats, or metadata uses a
   *     format key
   * @throws DataFileException if the file exists or cannot be created
   */
  public static ParquetDatasetWriter create(Path file, List<OutputColumn> columns, Map<String, String> metadata) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(metadata, "metadata");
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("Cannot write " + file.getFileName() + ": there are no columns");
    }
    Set<String> names = new HashSet<>();
    for (OutputColumn column : columns) {
      if (!names.add(column.name())) {
        throw new IllegalArgumentException("Cannot write " + file.getFileName() + ": column '"
            + column.name() + "' is listed twice (rename one of them)");
      }
    }
    if (metadata.containsKey(FORMAT_KEY) || metadata.containsKey(FORMAT_VERSION_KEY)) {
      throw new IllegalArgumentException("Cannot write " + file.getFileName() + ": metadata keys "
          + FORMAT_KEY + " and " + FORMAT_VERSION_KEY + " are reserved");
    }
    Map<String, String> footer = new TreeMap<>(metadata);
    footer.put(FORMAT_KEY, "training-set");
    footer.put(FORMAT_VERSION_KEY, "1");
    RowWriteSupport support = new RowWriteSupport(columns, footer);
    try {
      Builder builder = new Builder(new LocalOutputFile(file), support)
          .withConf(new PlainParquetConfiguration())
          .withWriteMode(ParquetFileWriter.Mode.CREATE)
          .withCompressionCodec(CompressionCodecName.ZSTD)
          // readers of training sets use min/max statistics, not size histograms or page CRCs
          .withSizeStatisticsEnabled(false)
          .withPageWriteChecksumEnabled(false);
      for (OutputColumn column : columns) {
        if (column.type() == ColumnType.DOUBLE || column.type() == ColumnType.FLOAT) {
          // Floating-point features are mostly distinct: a dictionary would fill up and be
          // dropped in every row group, at the cost of a hash lookup per value.
          String path = column.list()
              ? column.name() + "." + RowWriteSupport.LIST + "." + RowWriteSupport.ELEMENT
              : column.name();
          builder.withDictionaryEncoding(path, false);
        }
      }
      ParquetWriter<Object[]> writer = builder.build();
      return new ParquetDatasetWriter(file, columns.toArray(new OutputColumn[0]), writer);
    } catch (FileAlreadyExistsException e) {
      throw new DataFileException("Cannot write " + file.getFileName()
          + ": it already exists (delete it or choose another path)", e);
    } catch (IOException e) {
      throw new DataFileException("Cannot write " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /** {@link #create(Path, List, Map)} without extra metadata. */
  public static ParquetDatasetWriter create(Path file, List<OutputColumn> columns) {
    return create(file, columns, Map.of());
  }

  /**
   * Appends one row: one value per column, each null or of its column type's {@link
   * ColumnType#valueClass()} ({@code java.util.List} of those, elements nullable, for list columns).
   *
   * @throws IllegalArgumentException if the row has another length or a value of the wrong class;
   *     nothing is written then
   * @throws DataFileException if writing fails
   */
  public void write(Object[] row) {
    if (row.length != columns.length) {
      throw new IllegalArgumentException("Cannot write row " + (rows + 1) + " of " + file.getFileName()
          + ": it has " + row.length + " values for " + columns.length + " columns");
    }
    for (int i = 0; i < row.length; i++) {
      Object value = row[i];
      if (value != null) {
        OutputColumn column = columns[i];
        if (column.list()) {
          if (!(value instanceof List<?> list)) {
            throw wrongClass(column, value, "a java.util.List");
          }
          Class<?> elementClass = column.type().valueClass();
          for (Object element : list) {
            if (element != null && element.getClass() != elementClass) {
              throw wrongClass(column, element, "list elements of " + elementClass.getSimpleName());
            }
          }
        } else if (value.getClass() != column.type().valueClass()) {
          throw wrongClass(column, value, "a " + column.type().valueClass().getSimpleName());
        }
      }
    }
    try {
      writer.write(row);
    } catch (IOException e) {
      throw new DataFileException("Cannot write " + file.getFileName() + ": " + e.getMessage(), e);
    }
    rows++;
  }

  private IllegalArgumentException wrongClass(OutputColumn column, Object value, String expected) {
    return new IllegalArgumentException("Cannot write row " + (rows + 1) + " of " + file.getFileName()
        + ": column '" + column.name() + "' holds a " + value.getClass().getSimpleName()
        + ", but its type " + column.type() + (column.list() ? " list" : "") + " takes " + expected);
  }

  /** The number of rows written so far. */
  public long rowCount() {
    return rows;
  }

  /**
   * Finishes the file: writes the last row group and the footer.
   *
   * @throws DataFileException if writing fails
   */
  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new DataFileException("Cannot write " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final RowWriteSupport support;

    Builder(OutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    @Deprecated
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return support;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
      return support;
    }
  }
}
