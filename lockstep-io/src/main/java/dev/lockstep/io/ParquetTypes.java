package dev.lockstep.io;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** Maps {@link ColumnType}s to Parquet types and back. */
final class ParquetTypes {
  private ParquetTypes() {}

  /** The column type that passes {@code type} through unchanged, or null if there is none. */
  static ColumnType columnType(PrimitiveType type) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BINARY:
        if (annotation == null) {
          return ColumnType.BINARY;
        }
        return annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            ? ColumnType.STRING
            : null;
      case INT64:
        if (annotation == null || annotation.equals(LogicalTypeAnnotation.intType(64, true))) {
          return ColumnType.LONG;
        }
        if (annotation instanceof TimestampLogicalTypeAnnotation timestamp) {
          boolean utc = timestamp.isAdjustedToUTC();
          return switch (timestamp.getUnit()) {
            case MILLIS -> utc ? ColumnType.TIMESTAMP_MILLIS_UTC : ColumnType.TIMESTAMP_MILLIS_LOCAL;
            case MICROS -> utc ? ColumnType.TIMESTAMP_MICROS_UTC : ColumnType.TIMESTAMP_MICROS_LOCAL;
            case NANOS -> utc ? ColumnType.TIMESTAMP_NANOS_UTC : ColumnType.TIMESTAMP_NANOS_LOCAL;
          };
        }
        return null;
      case INT32:
        if (annotation == null
            || (annotation instanceof IntLogicalTypeAnnotation integer && integer.isSigned())) {
          return ColumnType.INT;
        }
        return annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? ColumnType.DATE : null;
      case DOUBLE:
        return ColumnType.DOUBLE;
      case FLOAT:
        return ColumnType.FLOAT;
      case BOOLEAN:
        return ColumnType.BOOLEAN;
      default:
        return null;
    }
  }

  /** The optional Parquet column {@code name} of {@code type}. */
  static PrimitiveType parquetType(ColumnType type, String name, Type.Repetition repetition) {
    return switch (type) {
      case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
          .as(LogicalTypeAnnotation.stringType()).named(name);
      case BINARY -> Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
      case LONG -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
      case INT -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
      case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
      case FLOAT -> Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
      case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
      case TIMESTAMP_MILLIS_UTC -> timestamp(name, repetition, true, TimeUnit.MILLIS);
      case TIMESTAMP_MICROS_UTC -> timestamp(name, repetition, true, TimeUnit.MICROS);
      case TIMESTAMP_NANOS_UTC -> timestamp(name, repetition, true, TimeUnit.NANOS);
      case TIMESTAMP_MILLIS_LOCAL -> timestamp(name, repetition, false, TimeUnit.MILLIS);
      case TIMESTAMP_MICROS_LOCAL -> timestamp(name, repetition, false, TimeUnit.MICROS);
      case TIMESTAMP_NANOS_LOCAL -> timestamp(name, repetition, false, TimeUnit.NANOS);
      case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition)
          .as(LogicalTypeAnnotation.dateType()).named(name);
    };
  }

  /** {@code INT64 TIMESTAMP(MICROS,true)}, as messages show a Parquet type. */
  static String describe(Type type) {
    if (!type.isPrimitive()) {
      return "a nested column";
    }
    PrimitiveType primitive = type.asPrimitiveType();
    LogicalTypeAnnotation annotation = primitive.getLogicalTypeAnnotation();
    return primitive.getPrimitiveTypeName() + (annotation == null ? "" : " " + annotation);
  }

  private static PrimitiveType timestamp(
      String name, Type.Repetition repetition, boolean utc, TimeUnit unit) {
    return Types.primitive(PrimitiveTypeName.INT64, repetition)
        .as(LogicalTypeAnnotation.timestampType(utc, unit))
        .named(name);
  }
}
