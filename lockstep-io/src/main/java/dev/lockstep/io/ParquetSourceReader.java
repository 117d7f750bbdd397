package dev.lockstep.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.lockstep.spi.CloseableIterator;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
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
 * Reads a source's Parquet file row group by row group, only the declared columns, taking values
 * straight from parquet-column's column readers (no record assembly). See {@link ParquetSlot} for
 * the type rules.
 */
final class ParquetSourceReader implements SourceRows {
  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;
  private final SourceBinding binding;
  private final ParquetFileReader reader;
  private final MessageType projection;
  private final String createdBy;
  private final TimestampParser times;
  /** The event time, the ingest time if declared, then the payload columns. */
  private final ParquetSlot[] slots;
  private final int firstColumn;
  private final ColumnReader[] readers;
  private final int[] maxDefinitions;
  private final GroupConverter converter;
  private long rowsLeft;
  private long rowNumber;

  ParquetSourceReader(Path file, SourceBinding binding) {
    this.file = file;
    this.binding = binding;
    this.times = new TimestampParser(binding.source.zone());
    this.reader = ParquetFiles.open(file);
    try {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
      binding.requireColumns(file, ParquetFiles.columnNames(schema));
      List<ParquetSlot> bound = new ArrayList<>();
      List<Type> fields = new ArrayList<>();
      bound.add(ParquetSlot.bind(file, field(schema, binding.eventTimeColumn, fields), null, binding));
      if (binding.ingestTimeColumn != null) {
        bound.add(ParquetSlot.bind(file, field(schema, binding.ingestTimeColumn, fields), null, binding));
      }
      firstColumn = bound.size();
      for (int i = 0; i < binding.names.length; i++) {
        bound.add(ParquetSlot.bind(file, field(schema, binding.names[i], fields), binding.types[i], binding));
      }
      slots = bound.toArray(new ParquetSlot[0]);
      projection = new MessageType(schema.getName(), fields);
      reader.setRequestedSchema(projection);
      converter = ParquetFiles.converter(
          bound.stream().map(ParquetSlot::converter).toArray(PrimitiveConverter[]::new));
      readers = new ColumnReader[slots.length];
      maxDefinitions = new int[slots.length];
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static Type field(MessageType schema, String name, List<Type> fields) {
    Type field = schema.getType(name);
    fields.add(field);
    return field;
  }

  @Override
  public boolean hasNext() {
    while (rowsLeft == 0) {
      PageReadStore rowGroup;
      try {
        rowGroup = reader.readNextRowGroup();
      } catch (IOException e) {
        throw SourceFileReader.cannotRead(file, e);
      } catch (RuntimeException e) {
        throw new DataFileException("Cannot read " + file.getFileName() + ": " + e.getMessage(), e);
      }
      if (rowGroup == null) {
        return false;
      }
      ColumnReadStoreImpl store =
          new ColumnReadStoreImpl(rowGroup, converter, projection, createdBy);
      for (int i = 0; i < slots.length; i++) {
        ColumnDescriptor column = projection.getColumnDescription(slots[i].path);
        readers[i] = store.getColumnReader(column);
        maxDefinitions[i] = column.getMaxDefinitionLevel();
      }
      rowsLeft = rowGroup.getRowCount();
    }
    return true;
  }

  @Override
  public ParsedRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    rowsLeft--;
    long row = ++rowNumber;
    try {
      for (int i = 0; i < slots.length; i++) {
        slots[i].read(readers[i], maxDefinitions[i]);
      }
    } catch (RuntimeException e) {
      // parquet-column throws unchecked exceptions for undecodable pages.
      throw new DataFileException("Cannot read " + file.getFileName() + ": row " + row + " cannot be decoded ("
          + e.getMessage() + ")", e);
    }
    ParquetSlot eventTime = slots[0];
    if (!eventTime.present) {
      return reject(row, binding.missingEventTime());
    }
    int status = eventTime.time(times);
    if (status != TimestampParser.OK) {
      return reject(row, binding.badTime(binding.eventTimeColumn, status, String.valueOf(eventTime.raw())));
    }
    OptionalLong ingestTime = OptionalLong.empty();
    if (firstColumn == 2) {
      ParquetSlot ingest = slots[1];
      if (!ingest.present) {
        return reject(row, binding.missingIngestTime());
      }
      status = ingest.time(times);
      if (status != TimestampParser.OK) {
        return reject(row, binding.badTime(binding.ingestTimeColumn, status, String.valueOf(ingest.raw())));
      }
      ingestTime = OptionalLong.of(ingest.millis());
    }
    Object[] values = new Object[slots.length - firstColumn];
    for (int i = 0; i < values.length; i++) {
      Object value = slots[firstColumn + i].value();
      if (value == null && binding.keys[i]) {
        return reject(row, binding.missingKey(i));
      }
      values[i] = value;
    }
    return new ParsedRecord.Accepted(row, eventTime.millis(), ingestTime, values);
  }

  private ParsedRecord reject(long row, String reason) {
    return new ParsedRecord.Rejected(row, reason, raw());
  }

  /** The declared columns of the row read last, as a JSON object of their stored values. */
  @Override
  public String raw() {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (ParquetSlot slot : slots) {
        Object raw = slot.raw();
        json.writeFieldName(slot.name);
        if (raw == null) {
          json.writeNull();
        } else if (raw instanceof Long value) {
          json.writeNumber(value);
        } else if (raw instanceof Double value) {
          json.writeNumber(value);
        } else if (raw instanceof BigDecimal value) {
          json.writeNumber(value);
        } else {
          json.writeString(raw.toString());
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw SourceFileReader.cannotRead(file, e);
    }
  }
}
