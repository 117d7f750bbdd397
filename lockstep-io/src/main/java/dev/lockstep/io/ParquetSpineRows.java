package dev.lockstep.io;

import dev.lockstep.spi.CloseableIterator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The rows of a Parquet spine of one or more files, file after file, each value boxed as its
 * {@link ColumnType} says. Every file must have the columns the first one has.
 */
final class ParquetSpineRows implements CloseableIterator<Object[]> {
  private final List<Path> files;
  private final List<SpineColumn> columns;
  private final ColumnType[] types;
  private final ColumnReader[] readers;
  private final int[] maxDefinitions;
  private final StringConverter[] strings;
  private final GroupConverter converter;
  private int nextFile;
  private Path file;
  private ParquetFileReader reader;
  private MessageType schema;
  private long rowsLeft;

  ParquetSpineRows(List<Path> files, List<SpineColumn> columns) {
    this.files = files;
    this.columns = columns;
    this.types = columns.stream().map(SpineColumn::type).toArray(ColumnType[]::new);
    this.readers = new ColumnReader[types.length];
    this.maxDefinitions = new int[types.length];
    this.strings = new StringConverter[types.length];
    PrimitiveConverter[] converters = new PrimitiveConverter[types.length];
    for (int i = 0; i < types.length; i++) {
      strings[i] = types[i] == ColumnType.STRING ? new StringConverter() : null;
      converters[i] = strings[i] != null ? strings[i] : ParquetFiles.UNUSED;
    }
    this.converter = ParquetFiles.converter(converters);
  }

  /**
   * The columns of {@code file}.
   *
   * @throws DataFileException if a column is nested, repeated or of a type a spine cannot pass
   *     through
   */
  static List<SpineColumn> columns(Path file, MessageType schema) {
    List<SpineColumn> columns = new ArrayList<>();
    for (Type field : schema.getFields()) {
      ColumnType type = field.isPrimitive() && !field.isRepetition(Type.Repetition.REPEATED)
          ? ParquetTypes.columnType(field.asPrimitiveType())
          : null;
      if (type == null) {
        throw new DataFileException("Cannot read " + file.getFileName() + ": column '" + field.getName()
            + "' is " + ParquetTypes.describe(field) + ", which a spine cannot pass through (cast it to"
            + " a string, number, boolean, date or INT64 timestamp)");
      }
      columns.add(new SpineColumn(field.getName(), type));
    }
    return columns;
  }

  @Override
  public boolean hasNext() {
    while (rowsLeft == 0) {
      try {
        PageReadStore rowGroup = reader == null ? null : reader.readNextRowGroup();
        if (rowGroup == null) {
          if (!openNextFile()) {
            return false;
          }
          continue;
        }
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(rowGroup, converter,
            schema, reader.getFooter().getFileMetaData().getCreatedBy());
        for (int i = 0; i < types.length; i++) {
          ColumnDescriptor column = schema.getColumns().get(i);
          readers[i] = store.getColumnReader(column);
          maxDefinitions[i] = column.getMaxDefinitionLevel();
        }
        rowsLeft = rowGroup.getRowCount();
      } catch (IOException e) {
        throw SourceFileReader.cannotRead(file, e);
      }
    }
    return true;
  }

  private boolean openNextFile() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
    if (nextFile == files.size()) {
      return false;
    }
    file = files.get(nextFile++);
    reader = ParquetFiles.open(file);
    schema = reader.getFooter().getFileMetaData().getSchema();
    List<SpineColumn> found = columns(file, schema);
    if (!found.equals(columns)) {
      throw new DataFileException("Cannot read " + file.getFileName() + ": its columns " + found
          + " differ from those of " + files.get(0).getFileName() + " " + columns
          + " (every file of a spine must have the same columns)");
    }
    return true;
  }

  @Override
  public Object[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    rowsLeft--;
    try {
      return row();
    } catch (RuntimeException e) {
      // parquet-column throws unchecked exceptions for undecodable pages.
      throw new DataFileException("Cannot read " + file.getFileName() + ": a row cannot be decoded ("
          + e.getMessage() + ")", e);
    }
  }

  private Object[] row() {
    Object[] row = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      ColumnReader column = readers[i];
      if (column.getCurrentDefinitionLevel() == maxDefinitions[i]) {
        row[i] = switch (types[i]) {
          case STRING -> {
            column.writeCurrentValueToConverter();
            yield strings[i].value();
          }
          case BINARY -> column.getBinary().getBytes().clone();
          case INT, DATE -> column.getInteger();
          case DOUBLE -> column.getDouble();
          case FLOAT -> column.getFloat();
          case BOOLEAN -> column.getBoolean();
          default -> column.getLong();
        };
      }
      column.consume();
    }
    return row;
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        throw SourceFileReader.cannotRead(file, e);
      }
      reader = null;
    }
  }
}
