package dev.lockstep.core.training;

import dev.lockstep.api.CorruptDataException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tagged encoding of values in a training set's spill files: null, Long, Double, String, or a
 * List of those. Spill files live only for one build, so the format is not versioned.
 */
final class SpillValues {
  static final int NULL = 0;
  static final int LONG = 1;
  private static final int DOUBLE = 2;
  static final int STRING = 3;
  private static final int LIST = 4;
  private static final int INT = 5;
  private static final int FLOAT = 6;
  private static final int BOOLEAN = 7;
  private static final int BYTES = 8;

  private SpillValues() {}

  static void write(SpillWriter out, Object value) {
    if (value == null) {
      out.putByte(NULL);
    } else if (value instanceof Long number) {
      out.putByte(LONG);
      out.putLong(number);
    } else if (value instanceof Double number) {
      out.putByte(DOUBLE);
      out.putDouble(number);
    } else if (value instanceof String text) {
      out.putByte(STRING);
      out.putString(text);
    } else if (value instanceof List<?> list) {
      out.putByte(LIST);
      out.putInt(list.size());
      for (Object element : list) {
        write(out, element);
      }
    } else if (value instanceof Integer number) {
      out.putByte(INT);
      out.putInt(number);
    } else if (value instanceof Float number) {
      out.putByte(FLOAT);
      out.putInt(Float.floatToRawIntBits(number));
    } else if (value instanceof Boolean flag) {
      out.putByte(BOOLEAN);
      out.putByte(flag ? 1 : 0);
    } else if (value instanceof byte[] bytes) {
      out.putByte(BYTES);
      out.putInt(bytes.length);
      out.putBytes(bytes);
    } else {
      throw new IllegalArgumentException(
          "Cannot spill a " + value.getClass().getSimpleName() + " (a bug: values are typed)");
    }
  }

  static Object read(SpillReader in) {
    return readTagged(in.getByte(), in);
  }

  /** The value whose tag {@code tag} has already been read. */
  static Object readTagged(int tag, SpillReader in) {
    return switch (tag) {
      case NULL -> null;
      case LONG -> in.getLong();
      case DOUBLE -> in.getDouble();
      case STRING -> in.getString();
      case LIST -> {
        int size = in.getInt();
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(read(in));
        }
        yield list;
      }
      case INT -> in.getInt();
      case FLOAT -> Float.intBitsToFloat(in.getInt());
      case BOOLEAN -> in.getByte() != 0;
      case BYTES -> {
        byte[] bytes = new byte[in.getInt()];
        in.getBytes(bytes, bytes.length);
        yield bytes;
      }
      default -> throw new CorruptDataException("Cannot read spill file: unknown value tag " + tag);
    };
  }
}
