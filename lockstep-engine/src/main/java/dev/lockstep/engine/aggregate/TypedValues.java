package dev.lockstep.engine.aggregate;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes values held in the field that matches their type. */
final class TypedValues {
  /** Longest string a partial stores, in UTF-8 bytes. */
  static final int MAX_STRING_BYTES = 1 << 20;

  private TypedValues() {}

  static void write(ValueType type, long longValue, double doubleValue, String stringValue, DataOutput out)
      throws IOException {
    switch (type) {
      case LONG -> out.writeLong(longValue);
      case DOUBLE -> out.writeDouble(doubleValue);
      case STRING -> writeString(stringValue, out);
    }
  }

  static void writeString(String value, DataOutput out) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_STRING_BYTES) {
      throw new CorruptDataException("Cannot read a string value: length " + length + " is out of range");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
