package dev.lockstep.io;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes {@code Object[]} rows straight into Parquet's record consumer. Values must already be of
 * their column's {@link ColumnType#valueClass()} (or lists of it); {@link ParquetDatasetWriter}
 * checks that before a row reaches here, so that a bad row never leaves a half-written record.
 *
 * <p>Lists follow the standard 3-level layout: {@code optional group name (LIST) { repeated group
 * list { optional <type> element; } }}.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {
  static final String LIST = "list";
  static final String ELEMENT = "element";

  private final MessageType schema;
  private final OutputColumn[] columns;
  private final Map<String, String> metadata;
  private RecordConsumer consumer;

  RowWriteSupport(List<OutputColumn> columns, Map<String, String> metadata) {
    this.columns = columns.toArray(new OutputColumn[0]);
    this.schema = schema(columns);
    this.metadata = metadata;
  }

  static MessageType schema(List<OutputColumn> columns) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (OutputColumn column : columns) {
      if (column.list()) {
        builder.addField(Types.optionalGroup()
            .as(LogicalTypeAnnotation.listType())
            .addField(Types.repeatedGroup()
                .addField(ParquetTypes.parquetType(column.type(), ELEMENT, Type.Repetition.OPTIONAL))
                .named(LIST))
            .named(column.name()));
      } else {
        builder.addField(ParquetTypes.parquetType(column.type(), column.name(), Type.Repetition.OPTIONAL));
      }
    }
    return builder.named("training_set");
  }

  @Override
  public String getName() {
    return "lockstep";
  }

  @Override
  @Deprecated
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, metadata);
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(schema, metadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Object[] row) {
    RecordConsumer out = consumer;
    out.startMessage();
    for (int i = 0; i < columns.length; i++) {
      Object value = row[i];
      if (value == null) {
        continue;
      }
      OutputColumn column = columns[i];
      out.startField(column.name(), i);
      if (column.list()) {
        writeList(out, column.type(), (List<?>) value);
      } else {
        writeValue(out, column.type(), value);
      }
      out.endField(column.name(), i);
    }
    out.endMessage();
  }

  private static void writeList(RecordConsumer out, ColumnType type, List<?> values) {
    out.startGroup();
    if (!values.isEmpty()) {
      out.startField(LIST, 0);
      for (Object element : values) {
        out.startGroup();
        if (element != null) {
          out.startField(ELEMENT, 0);
          writeValue(out, type, element);
          out.endField(ELEMENT, 0);
        }
        out.endGroup();
      }
      out.endField(LIST, 0);
    }
    out.endGroup();
  }

  private static void writeValue(RecordConsumer out, ColumnType type, Object value) {
    switch (type) {
      case STRING -> out.addBinary(Binary.fromString((String) value));
      case BINARY -> out.addBinary(Binary.fromReusedByteArray((byte[]) value));
      case INT, DATE -> out.addInteger((Integer) value);
      case DOUBLE -> out.addDouble((Double) value);
      case FLOAT -> out.addFloat((Float) value);
      case BOOLEAN -> out.addBoolean((Boolean) value);
      default -> out.addLong((Long) value);
    }
  }
}
