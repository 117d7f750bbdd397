package dev.lockstep.engine.exact;

import dev.lockstep.api.CorruptDataException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The canonical bytes of an {@link ExactSum}, format version 1:
 *
 * <pre>
 * byte  version              1
 * int   limbCount            0 for a zero finite part
 * if limbCount &gt; 0:
 *   byte  sign               0 positive, 1 negative
 *   int   lowestLimb         limb k weighs 2^(32k); in [-68, 1023]
 *   int[] limbs              limbCount magnitude limbs, lowest first; first and last non-zero
 * long  nans, positiveInfinities, negativeInfinities
 * </pre>
 *
 * <p>Every value has exactly one encoding, so equal sums write equal bytes whatever their history.
 */
final class ExactSumCodec {
  static final int FORMAT_VERSION = 1;
  /** Bits below 2^-2148 (bit 28 of limb -68) can never be set. */
  private static final long BELOW_FINEST_BIT = (1L << 28) - 1;

  private ExactSumCodec() {}

  static void write(ExactSum sum, DataOutput out) throws IOException {
    FixedPoint n = sum.normalized();
    out.writeByte(FORMAT_VERSION);
    int count = n.high - n.low + 1;
    out.writeInt(Math.max(count, 0));
    if (count > 0) {
      out.writeByte(n.negative ? 1 : 0);
      out.writeInt(n.base + n.low);
      for (int i = n.low; i <= n.high; i++) {
        out.writeInt((int) n.limbs[i]);
      }
    }
    for (long special : sum.specialCounts()) {
      out.writeLong(special);
    }
  }

  static ExactSum read(DataInput in) throws IOException {
    int version = in.readUnsignedByte();
    if (version != FORMAT_VERSION) {
      throw corrupt(
          "format version " + version + " is unknown (this build reads version " + FORMAT_VERSION
              + "; upgrade Lockstep or check the bytes belong to an exact sum)");
    }
    int count = in.readInt();
    int maxCount = FixedPoint.MAX_LIMB - FixedPoint.MIN_LIMB + 1;
    if (count < 0 || count > maxCount) {
      throw corrupt("limb count " + count + " is outside [0, " + maxCount + "]" + DAMAGED);
    }
    long[] limbs = new long[count];
    boolean negative = false;
    int lowest = 0;
    if (count > 0) {
      int sign = in.readUnsignedByte();
      if (sign > 1) {
        throw corrupt("sign byte " + sign + " is neither 0 nor 1" + DAMAGED);
      }
      negative = sign == 1;
      lowest = in.readInt();
      if (lowest < FixedPoint.MIN_LIMB || lowest > FixedPoint.MAX_LIMB - count + 1) {
        throw corrupt(
            "limbs " + lowest + " to " + ((long) lowest + count - 1) + " are outside ["
                + FixedPoint.MIN_LIMB + ", " + FixedPoint.MAX_LIMB + "]" + DAMAGED);
      }
      for (int i = 0; i < count; i++) {
        limbs[i] = in.readInt() & FixedPoint.LIMB_MASK;
      }
      if (limbs[0] == 0 || limbs[count - 1] == 0) {
        throw corrupt("the lowest or highest limb is zero, which is not canonical" + DAMAGED);
      }
      if (lowest == FixedPoint.MIN_LIMB && (limbs[0] & BELOW_FINEST_BIT) != 0) {
        throw corrupt("bits below 2^-2148 are set, finer than any exact sum holds" + DAMAGED);
      }
    }
    long[] specialCounts = {in.readLong(), in.readLong(), in.readLong()};
    return ExactSum.of(limbs, lowest, negative, specialCounts);
  }

  private static final String DAMAGED = " (the bytes are damaged or not an exact sum)";

  private static CorruptDataException corrupt(String reason) {
    return new CorruptDataException("Cannot read exact sum: " + reason);
  }
}
