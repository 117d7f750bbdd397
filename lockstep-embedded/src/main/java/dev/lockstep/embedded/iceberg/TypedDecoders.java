package dev.lockstep.embedded.iceberg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;

/**
 * The {@link ColumnDecoder}s of each kind of value. Each decodes a run of present values of the
 * current page in the page's mode: {@code PLAIN} by absolute little-endian reads, {@code
 * DICTIONARY} through the row group's dictionary decoded once into a typed array, {@code OTHER}
 * through Parquet's values reader.
 */
final class TypedDecoders {
  private TypedDecoders() {}

  static class Longs extends ColumnDecoder {
    private long[] dictionary;

    Longs(ColumnDescriptor descriptor) {
      super(descriptor);
    }

    @Override
    Object newArray(int size) {
      return new long[size];
    }

    @Override
    void setDictionary(Dictionary decoder) {
      dictionary = new long[decoder.getMaxId() + 1];
      for (int id = 0; id < dictionary.length; id++) {
        dictionary[id] = narrow ? decoder.decodeToInt(id) : decoder.decodeToLong(id);
      }
    }

    @Override
    void readPresent(Object out, int offset, int count) throws IOException {
      long[] target = (long[]) out;
      int end = offset + count;
      if (mode == PLAIN && !narrow) {
        ByteBuffer buffer = plain;
        int position = plainPosition;
        for (int i = offset; i < end; i++, position += 8) {
          target[i] = buffer.getLong(position);
        }
        plainPosition = position;
      } else if (mode == PLAIN) {
        for (int i = offset; i < end; i++, plainPosition += 4) {
          target[i] = plain.getInt(plainPosition);
        }
      } else if (mode == DICTIONARY) {
        for (int i = offset; i < end; i++) {
          target[i] = dictionary[ids[idPosition++]];
        }
      } else {
        for (int i = offset; i < end; i++) {
          target[i] = narrow ? values.readInteger() : values.readLong();
        }
      }
    }
  }

  /** Microsecond timestamps as milliseconds, rounding down. */
  static final class Times extends Longs {
    Times(ColumnDescriptor descriptor) {
      super(descriptor);
    }

    @Override
    void readPresent(Object out, int offset, int count) throws IOException {
      super.readPresent(out, offset, count);
      long[] target = (long[]) out;
      for (int i = offset; i < offset + count; i++) {
        target[i] = Math.floorDiv(target[i], 1000L);
      }
    }
  }

  static final class Doubles extends ColumnDecoder {
    private double[] dictionary;

    Doubles(ColumnDescriptor descriptor) {
      super(descriptor);
    }

    @Override
    Object newArray(int size) {
      return new double[size];
    }

    @Override
    void setDictionary(Dictionary decoder) {
      dictionary = new double[decoder.getMaxId() + 1];
      for (int id = 0; id < dictionary.length; id++) {
        dictionary[id] = narrow ? decoder.decodeToFloat(id) : decoder.decodeToDouble(id);
      }
    }

    @Override
    void readPresent(Object out, int offset, int count) throws IOException {
      double[] target = (double[]) out;
      int end = offset + count;
      if (mode == PLAIN && !narrow) {
        ByteBuffer buffer = plain;
        int position = plainPosition;
        for (int i = offset; i < end; i++, position += 8) {
          target[i] = buffer.getDouble(position);
        }
        plainPosition = position;
      } else if (mode == PLAIN) {
        for (int i = offset; i < end; i++, plainPosition += 4) {
          target[i] = plain.getFloat(plainPosition);
        }
      } else if (mode == DICTIONARY) {
        for (int i = offset; i < end; i++) {
          target[i] = dictionary[ids[idPosition++]];
        }
      } else {
        for (int i = offset; i < end; i++) {
          target[i] = narrow ? values.readFloat() : values.readDouble();
        }
      }
    }
  }

  static final class Strings extends ColumnDecoder {
    private String[] dictionary;

    Strings(ColumnDescriptor descriptor) {
      super(descriptor);
    }

    @Override
    Object newArray(int size) {
      return new String[size];
    }

    @Override
    void setDictionary(Dictionary decoder) {
      dictionary = new String[decoder.getMaxId() + 1];
      for (int id = 0; id < dictionary.length; id++) {
        dictionary[id] = decoder.decodeToBinary(id).toStringUsingUTF8();
      }
    }

    @Override
    void readPresent(Object out, int offset, int count) throws IOException {
      String[] target = (String[]) out;
      int end = offset + count;
      if (mode == PLAIN) {
        ByteBuffer buffer = plain;
        byte[] bytes;
        int base;
        if (buffer.hasArray()) {
          bytes = buffer.array();
          base = buffer.arrayOffset();
        } else {
          // Rare (off-heap pages): copy the page once.
          bytes = new byte[buffer.limit()];
          buffer.duplicate().position(0).get(bytes);
          base = 0;
        }
        int position = plainPosition;
        for (int i = offset; i < end; i++) {
          int length = buffer.getInt(position);
          target[i] = new String(bytes, base + position + 4, length, StandardCharsets.UTF_8);
          position += 4 + length;
        }
        plainPosition = position;
      } else if (mode == DICTIONARY) {
        for (int i = offset; i < end; i++) {
          target[i] = dictionary[ids[idPosition++]];
        }
      } else {
        for (int i = offset; i < end; i++) {
          target[i] = values.readBytes().toStringUsingUTF8();
        }
      }
    }
  }
}
