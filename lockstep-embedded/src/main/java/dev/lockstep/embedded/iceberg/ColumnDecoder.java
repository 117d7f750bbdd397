package dev.lockstep.embedded.iceberg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one flat (non-nested) Parquet column, a batch at a time, into a primitive or string array
 * plus the positions of its nulls, reading pages itself rather than value by value through
 * Parquet's {@code ColumnReader}.
 *
 * <p><b>Algorithm.</b> Per page, the definition levels are decoded into an array; each run of
 * present values is then decoded in one loop: {@code PLAIN} fixed-width values by absolute
 * little-endian reads from the page buffer, {@code PLAIN} strings straight from its bytes,
 * dictionary-encoded values as ids into the row group's dictionary, decoded once into a typed array
 * (so equal strings are one shared object). Any other encoding goes through Parquet's own {@link
 * ValuesReader}, slower but complete. Each kind of column is its own class in {@link
 * TypedDecoders}, so that its loops stay monomorphic.
 */
abstract class ColumnDecoder {
  /** What a decoder produces. */
  enum Kind {
    /** A timestamp in microseconds, as epoch milliseconds in a {@code long[]}. */
    TIME,
    /** A {@code long[]}, widening int. */
    LONG,
    /** A {@code double[]}, widening float. */
    DOUBLE,
    /** A {@code String[]} of UTF-8 binary. */
    STRING
  }

  static final int PLAIN = 0;
  static final int DICTIONARY = 1;
  static final int OTHER = 2;

  private final ColumnDescriptor descriptor;
  private final int maxDefinition;

  /** Whether the physical type is the narrow one: int for long, float for double. */
  final boolean narrow;

  private PageReader pages;
  private int pageRemaining;
  private int[] definitions;
  private int definitionPosition;

  int mode;

  /** PLAIN: the page's values, little-endian, and the absolute index of the next one. */
  ByteBuffer plain;

  int plainPosition;

  /** DICTIONARY: the ids of the page's values and the index of the next one. */
  int[] ids;

  int idPosition;

  /** OTHER: Parquet's reader of the page's values. */
  ValuesReader values;

  ColumnDecoder(ColumnDescriptor descriptor) {
    this.descriptor = descriptor;
    this.maxDefinition = descriptor == null ? 0 : descriptor.getMaxDefinitionLevel();
    PrimitiveTypeName type =
        descriptor == null ? null : descriptor.getPrimitiveType().getPrimitiveTypeName();
    this.narrow = type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.FLOAT;
  }

  /**
   * The decoder of {@code kind} for {@code column}.
   *
   * @throws IllegalStateException if the column's physical type does not hold that kind
   */
  static ColumnDecoder of(Kind kind, ColumnDescriptor column) {
    PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
    boolean fits =
        switch (kind) {
          case TIME -> type == PrimitiveTypeName.INT64;
          case LONG -> type == PrimitiveTypeName.INT64 || type == PrimitiveTypeName.INT32;
          case DOUBLE -> type == PrimitiveTypeName.DOUBLE || type == PrimitiveTypeName.FLOAT;
          case STRING -> type == PrimitiveTypeName.BINARY;
        };
    if (!fits) {
      throw new IllegalStateException(
          "column " + String.join(".", column.getPath()) + " is " + type + ", not " + kind);
    }
    return switch (kind) {
      case TIME -> new TypedDecoders.Times(column);
      case LONG -> new TypedDecoders.Longs(column);
      case DOUBLE -> new TypedDecoders.Doubles(column);
      case STRING -> new TypedDecoders.Strings(column);
    };
  }

  /** A decoder of a column the file lacks: every value is null. */
  static ColumnDecoder missing(Kind kind) {
    return new ColumnDecoder(null) {
      @Override
      Object newArray(int size) {
        return switch (kind) {
          case TIME, LONG -> new long[size];
          case DOUBLE -> new double[size];
          case STRING -> new String[size];
        };
      }

      @Override
      void setDictionary(Dictionary dictionary) {}

      @Override
      void readPresent(Object out, int offset, int count) {}
    };
  }

  /** The column read, or null if the file lacks it. */
  final ColumnDescriptor descriptor() {
    return descriptor;
  }

  /** Positions this decoder at the start of a row group. */
  final void startRowGroup(PageReadStore rowGroup) throws IOException {
    pageRemaining = 0;
    if (descriptor == null) {
      return;
    }
    pages = rowGroup.getPageReader(descriptor);
    DictionaryPage dictionary = pages.readDictionaryPage();
    if (dictionary != null) {
      setDictionary(dictionary.getEncoding().initDictionary(descriptor, dictionary));
    }
  }

  /** Reads the next {@code size} values, setting the positions of nulls in {@code nulls}. */
  final Object read(int size, BitSet nulls) throws IOException {
    Object out = newArray(size);
    if (descriptor == null) {
      nulls.set(0, size);
      return out;
    }
    int filled = 0;
    while (filled < size) {
      if (pageRemaining == 0) {
        nextPage();
      }
      int count = Math.min(size - filled, pageRemaining);
      if (definitions == null) {
        readPresent(out, filled, count);
      } else {
        int end = filled + count;
        int position = filled;
        while (position < end) {
          int runStart = position;
          while (position < end && definitions[definitionPosition] == maxDefinition) {
            position++;
            definitionPosition++;
          }
          if (position > runStart) {
            readPresent(out, runStart, position - runStart);
          }
          while (position < end && definitions[definitionPosition] != maxDefinition) {
            nulls.set(position++);
            definitionPosition++;
          }
        }
      }
      filled += count;
      pageRemaining -= count;
    }
    return out;
  }

  private void nextPage() throws IOException {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new IOException("column " + String.join(".", descriptor.getPath()) + " ended early");
    }
    pageRemaining = page.getValueCount();
    definitionPosition = 0;
    definitions = null;
    int present = pageRemaining;
    if (page instanceof DataPageV1 v1) {
      if (maxDefinition > 0 && v1.getDlEncoding() != Encoding.RLE) {
        startLegacyPage(v1);
        return;
      }
      ByteBuffer bytes = v1.getBytes().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      int position = bytes.position();
      if (maxDefinition > 0) {
        // RLE levels in a v1 page: a 4-byte length, then the hybrid-encoded levels.
        int length = bytes.getInt(position);
        present = decodeDefinitions(bytes.duplicate().limit(position + 4 + length), position + 4);
        position += 4 + length;
      }
      startValues(v1.getValueEncoding(), bytes, position, present);
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (maxDefinition > 0) {
        present = decodeDefinitions(v2.getDefinitionLevels().toByteBuffer(), -1);
      }
      ByteBuffer data = v2.getData().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      startValues(v2.getDataEncoding(), data, data.position(), present);
    }
  }

  /** Decodes the page's definition levels; returns how many values are present (not null). */
  private int decodeDefinitions(ByteBuffer levels, int position) {
    int start = position < 0 ? levels.position() : position;
    definitions = new int[pageRemaining + 8];
    HybridDecoder.decode(
        levels, start, BytesUtils.getWidthFromMaxInt(maxDefinition), definitions, pageRemaining);
    int present = 0;
    for (int i = 0; i < pageRemaining; i++) {
      if (definitions[i] == maxDefinition) {
        present++;
      }
    }
    return present;
  }

  /** A v1 page whose levels use the deprecated bit-packed encoding: Parquet's readers decode it. */
  private void startLegacyPage(DataPageV1 v1) throws IOException {
    ByteBufferInputStream in = v1.getBytes().toInputStream();
    ValuesReader repetitions =
        v1.getRlEncoding().getValuesReader(descriptor, ValuesType.REPETITION_LEVEL);
    repetitions.initFromPage(pageRemaining, in);
    ValuesReader levels =
        v1.getDlEncoding().getValuesReader(descriptor, ValuesType.DEFINITION_LEVEL);
    levels.initFromPage(pageRemaining, in);
    definitions = new int[pageRemaining];
    for (int i = 0; i < pageRemaining; i++) {
      definitions[i] = levels.readInteger();
    }
    mode = OTHER;
    values = v1.getValueEncoding().getValuesReader(descriptor, ValuesType.VALUES);
    values.initFromPage(pageRemaining, in);
  }

  /**
   * Prepares to decode the {@code present} values that start at {@code position} in {@code page}.
   */
  private void startValues(Encoding encoding, ByteBuffer page, int position, int present)
      throws IOException {
    if (encoding.usesDictionary()) {
      mode = DICTIONARY;
      int bitWidth = page.get(position) & 0xFF;
      if (ids == null || ids.length < present + 8) {
        ids = new int[present + 8];
      }
      HybridDecoder.decode(page, position + 1, bitWidth, ids, present);
      idPosition = 0;
    } else if (encoding == Encoding.PLAIN) {
      mode = PLAIN;
      plain = page;
      plainPosition = position;
    } else {
      mode = OTHER;
      values = encoding.getValuesReader(descriptor, ValuesType.VALUES);
      ByteBuffer slice = page.duplicate().position(position);
      values.initFromPage(present, ByteBufferInputStream.wrap(slice.slice()));
    }
  }

  /** A new array of {@code size} values of this decoder's kind. */
  abstract Object newArray(int size);

  /** Decodes the row group's dictionary into a typed array. */
  abstract void setDictionary(Dictionary dictionary);

  /**
   * Decodes {@code count} present values of the current page into {@code out} from {@code offset}.
   */
  abstract void readPresent(Object out, int offset, int count) throws IOException;
}
