package dev.lockstep.embedded.iceberg;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;

/**
 * Decodes Parquet's RLE / bit-packing hybrid encoding (definition levels and dictionary ids) from a
 * buffer into an {@code int[]} in one call, instead of one stream read per value as Parquet's
 * {@code RunLengthBitPackingHybridDecoder} does. Runs are a varint header whose low bit tells a
 * repeated value ({@code header >>> 1} copies of a little-endian value of {@code ceil(width / 8)}
 * bytes) from bit-packed groups ({@code header >>> 1} groups of 8 values, {@code width} bytes
 * each).
 */
final class HybridDecoder {
  private HybridDecoder() {}

  /**
   * Decodes {@code count} values of {@code bitWidth} bits from {@code buffer} at absolute index
   * {@code position} into {@code out}, which must hold at least {@code count + 8} values (a last
   * bit-packed group is unpacked whole).
   *
   * @throws IllegalStateException if the data ends before {@code count} values
   */
  static void decode(ByteBuffer buffer, int position, int bitWidth, int[] out, int count) {
    BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
    int valueBytes = (bitWidth + 7) / 8;
    int filled = 0;
    int index = position;
    while (filled < count) {
      if (index >= buffer.limit()) {
        throw new IllegalStateException(
            "hybrid-encoded data ends after " + filled + " of " + count + " values");
      }
      int header = 0;
      int shift = 0;
      int b;
      do {
        b = buffer.get(index++) & 0xFF;
        header |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if ((header & 1) == 0) {
        int value = 0;
        for (int i = 0; i < valueBytes; i++) {
          value |= (buffer.get(index++) & 0xFF) << (8 * i);
        }
        int end = Math.min(count, filled + (header >>> 1));
        Arrays.fill(out, filled, end, value);
        filled = end;
      } else {
        int groups = header >>> 1;
        for (int group = 0; group < groups && filled < count; group++) {
          packer.unpack8Values(buffer, index, out, filled);
          index += bitWidth;
          filled += 8;
        }
      }
    }
  }
}
