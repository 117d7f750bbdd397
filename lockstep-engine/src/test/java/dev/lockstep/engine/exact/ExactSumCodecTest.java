package dev.lockstep.engine.exact;

import static dev.lockstep.engine.exact.ExactSumTest.bytes;
import static dev.lockstep.engine.exact.ExactSumTest.sumOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExactSumCodecTest {
  private static final String DAMAGED = " (the bytes are damaged or not an exact sum)";

  private static ExactSum read(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    ExactSum sum = ExactSum.readFrom(in);
    assertThat(in.read()).as("trailing bytes").isEqualTo(-1);
    return sum;
  }

  /** Hand-built bytes in format version 1. */
  private static byte[] encoded(int version, int count, int sign, int lowest, int[] limbs,
      long... specials) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buffer);
    out.writeByte(version);
    out.writeInt(count);
    if (count > 0) {
      out.writeByte(sign);
      out.writeInt(lowest);
      for (int limb : limbs) {
        out.writeInt(limb);
      }
    }
    for (long special : specials) {
      out.writeLong(special);
    }
    return buffer.toByteArray();
  }

  @Test
  void randomSumsRoundTrip() throws IOException {
    for (int seed = 0; seed < 1000; seed++) {
      RandomValues values = new RandomValues(seed);
      ExactSum sum = new ExactSum();
      for (int i = 0, size = values.random().nextInt(30); i < size; i++) {
        sum.add(values.anyDouble());
        if (values.random().nextInt(3) == 0) {
          sum.addSquare(values.anyDouble());
        }
        if (values.random().nextInt(5) == 0) {
          sum.add(values.anyLong());
        }
      }
      byte[] written = bytes(sum);
      ExactSum read = read(written);
      assertThat(read).isEqualTo(sum).hasSameHashCodeAs(sum);
      assertThat(bytes(read)).isEqualTo(written);
      assertThat(Double.doubleToRawLongBits(read.doubleValue()))
          .isEqualTo(Double.doubleToRawLongBits(sum.doubleValue()));
      if (sum.isFinite()) {
        assertThat(read.toBigDecimal()).isEqualTo(sum.toBigDecimal());
      }
      read.add(1.0); // a read sum keeps working
      sum.add(1.0);
      assertThat(read).isEqualTo(sum);
    }
  }

  @Test
  void equalValuesWriteEqualBytesWhateverTheirHistory() {
    ExactSum direct = sumOf(3.0);
    ExactSum winding = sumOf(1e300, 1.0, 1e-300, -1e300, 2.0, Double.NaN);
    winding.subtract(sumOf(1e-300, Double.NaN));
    ExactSum viaLongs = new ExactSum();
    viaLongs.add(Long.MAX_VALUE);
    viaLongs.add(Long.MIN_VALUE);
    viaLongs.add(4L);
    ExactSum viaSquares = new ExactSum();
    viaSquares.addSquare(2.0);
    viaSquares.addSquare(-1L);
    viaSquares.add(-2.0);
    assertThat(bytes(winding)).isEqualTo(bytes(direct));
    assertThat(bytes(viaLongs)).isEqualTo(bytes(direct));
    assertThat(bytes(viaSquares)).isEqualTo(bytes(direct));
  }

  @Test
  void theLayoutIsTheDocumentedOne() throws IOException {
    // 3.0 = 3 · 2^(32·0); 2^-33 = 2^31 · 2^(32·-2); -0.75 = -(3·2^30) · 2^-32.
    assertThat(bytes(sumOf(3.0))).isEqualTo(encoded(1, 1, 0, 0, new int[] {3}, 0, 0, 0));
    assertThat(bytes(sumOf(0x1p-33))).isEqualTo(
        encoded(1, 1, 0, -2, new int[] {1 << 31}, 0, 0, 0));
    assertThat(bytes(sumOf(-0.75, -4294967296.0 * 2, Double.NaN, Double.NEGATIVE_INFINITY)))
        .isEqualTo(encoded(1, 3, 1, -1, new int[] {3 << 30, 0, 2}, 1, 0, 1));
    assertThat(bytes(new ExactSum())).isEqualTo(encoded(1, 0, 0, 0, null, 0, 0, 0));
  }

  @Test
  void damagedBytesAreRejected() throws IOException {
    int[] one = {1};
    assertRejected(encoded(2, 1, 0, 0, one, 0, 0, 0),
        "format version 2 is unknown (this build reads version 1; upgrade Lockstep or check the"
            + " bytes belong to an exact sum)");
    assertRejected(encoded(1, -1, 0, 0, one, 0, 0, 0),
        "limb count -1 is outside [0, 1092]" + DAMAGED);
    assertRejected(encoded(1, 1093, 0, 0, one, 0, 0, 0),
        "limb count 1093 is outside [0, 1092]" + DAMAGED);
    assertRejected(encoded(1, 1, 2, 0, one, 0, 0, 0),
        "sign byte 2 is neither 0 nor 1" + DAMAGED);
    assertRejected(encoded(1, 1, 0, -69, one, 0, 0, 0),
        "limbs -69 to -69 are outside [-68, 1023]" + DAMAGED);
    assertRejected(encoded(1, 2, 0, 1023, new int[] {1, 1}, 0, 0, 0),
        "limbs 1023 to 1024 are outside [-68, 1023]" + DAMAGED);
    assertRejected(encoded(1, 2, 0, Integer.MAX_VALUE, new int[] {1, 1}, 0, 0, 0),
        "limbs 2147483647 to 2147483648 are outside [-68, 1023]" + DAMAGED);
    assertRejected(encoded(1, 2, 0, 0, new int[] {1, 0}, 0, 0, 0),
        "the lowest or highest limb is zero, which is not canonical" + DAMAGED);
    assertRejected(encoded(1, 2, 0, 0, new int[] {0, 1}, 0, 0, 0),
        "the lowest or highest limb is zero, which is not canonical" + DAMAGED);
    assertRejected(encoded(1, 1, 0, -68, new int[] {1 << 27}, 0, 0, 0),
        "bits below 2^-2148 are set, finer than any exact sum holds" + DAMAGED);
    // The finest legal bit, 2^-2148 (bit 28 of limb -68), is accepted.
    ExactSum finest = read(encoded(1, 1, 0, -68, new int[] {1 << 28}, 0, 0, 0));
    ExactSum square = new ExactSum();
    square.addSquare(Double.MIN_VALUE);
    assertThat(finest).isEqualTo(square);
  }

  @Test
  void truncatedBytesEndInEof() {
    byte[] written = bytes(sumOf(1e300, 1e-300, Double.NaN));
    for (int length = 0; length < written.length; length++) {
      byte[] truncated = Arrays.copyOf(written, length);
      assertThatThrownBy(() -> read(truncated)).isInstanceOf(EOFException.class);
    }
  }

  private static void assertRejected(byte[] bytes, String reason) {
    assertThatThrownBy(() -> read(bytes))
        .isInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot read exact sum: " + reason);
  }
}
