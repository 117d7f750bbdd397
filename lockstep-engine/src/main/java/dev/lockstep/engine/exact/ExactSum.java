package dev.lockstep.engine.exact;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * An exact, order-independent sum of doubles and longs. Adding the same multiset of values in any
 * order, or summing parts and merging them, gives the same state and the same bytes.
 *
 * <p>Non-finite inputs are counted apart from the finite exact part: the value is NaN when a NaN
 * was added or both infinities were, otherwise the infinity that was added, otherwise the correctly
 * rounded finite sum. Counts subtract like the finite part, so {@link #subtract} is exact too.
 * Zeros of either sign add nothing, so an all-zero sum is {@code +0.0}.
 *
 * <p>The finite part is a binary fixed-point number ({@code FixedPoint}) with bits from 2^-2148
 * (the square of the smallest subnormal) up to 2^32767, stored sparsely: sums of everyday values
 * use three or four 32-bit limbs, and adding a double costs a few nanoseconds.
 *
 * <p>Thread-safety: mutable, for one owner thread. Reading methods ({@link #doubleValue}, {@link
 * #equals}, {@link #writeTo}, being merged into another sum, ...) never write to the sum, so a sum
 * that nobody adds to any more may be read from many threads at once after a safe publication (a
 * volatile write, a concurrent map, a final field). A sum read from its canonical bytes ({@link
 * #readFrom}) is already in normal form, so reading it copies nothing.
 */
public final class ExactSum extends FixedPoint {
  private static final long FRACTION_MASK = (1L << 52) - 1;

  private long nans;
  private long positiveInfinities;
  private long negativeInfinities;

  /** An empty sum: zero. */
  public ExactSum() {}

  /** Adds {@code value} exactly. */
  public void add(double value) {
    addDouble(value, 0L, 1);
  }

  /** Removes a {@code value} added before, exactly: the inverse of {@link #add(double)}. */
  public void remove(double value) {
    addDouble(value, -1L, -1);
  }

  /** Adds ({@code sign} 0, {@code count} 1) or removes ({@code sign} -1, {@code count} -1) a double. */
  private void addDouble(double value, long sign, int count) {
    long bits = Double.doubleToRawLongBits(value);
    int exponent = (int) (bits >>> 52) & 0x7FF;
    long significand = bits & FRACTION_MASK;
    if (exponent == 0x7FF) {
      if (significand != 0) {
        nans += count;
      } else if (bits > 0) {
        positiveInfinities += count;
      } else {
        negativeInfinities += count;
      }
      return;
    }
    if (exponent == 0) {
      if (significand == 0) {
        return;
      }
      exponent = 1; // subnormal: no hidden bit
    } else {
      significand |= 1L << 52;
    }
    addShifted(significand, exponent - 1075, (bits >> 63) ^ sign);
  }

  /** Adds {@code value} exactly. */
  public void add(long value) {
    long sign = value >> 63;
    addShifted((value ^ sign) - sign, 0, sign); // Long.MIN_VALUE: 2^63 read unsigned
  }

  /** Removes a {@code value} added before, exactly: the inverse of {@link #add(long)}. */
  public void remove(long value) {
    long sign = value >> 63;
    addShifted((value ^ sign) - sign, 0, ~sign);
  }

  /**
   * Adds {@code value * value} exactly (no rounding of the square, which may lie beyond the double
   * range). The square of an infinity counts as a positive infinity.
   */
  public void addSquare(double value) {
    addSquare(value, 0L, 1);
  }

  /** Removes a square added before, exactly: the inverse of {@link #addSquare(double)}. */
  public void removeSquare(double value) {
    addSquare(value, -1L, -1);
  }

  private void addSquare(double value, long sign, int count) {
    long bits = Double.doubleToRawLongBits(value);
    int exponent = (int) (bits >>> 52) & 0x7FF;
    long significand = bits & FRACTION_MASK;
    if (exponent == 0x7FF) {
      if (significand != 0) {
        nans += count;
      } else {
        positiveInfinities += count;
      }
      return;
    }
    if (exponent == 0) {
      if (significand == 0) {
        return;
      }
      exponent = 1;
    } else {
      significand |= 1L << 52;
    }
    // The 106-bit square of the significand, exact in 128 bits.
    long square = significand * significand;
    addShifted128(Math.multiplyHigh(significand, significand), square, 2 * (exponent - 1075), sign);
  }

  /** Adds {@code value * value} exactly. */
  public void addSquare(long value) {
    addShifted128(Math.multiplyHigh(value, value), value * value, 0, 0L);
  }

  /** Removes a square added before, exactly: the inverse of {@link #addSquare(long)}. */
  public void removeSquare(long value) {
    addShifted128(Math.multiplyHigh(value, value), value * value, 0, -1L);
  }

  /**
   * Adds everything {@code other} holds; {@code other} may be this sum.
   *
   * @throws ArithmeticException if the magnitude would reach 2^32768
   */
  public void add(ExactSum other) {
    merge(other, 0);
    nans += other.nans;
    positiveInfinities += other.positiveInfinities;
    negativeInfinities += other.negativeInfinities;
  }

  /**
   * Removes everything {@code other} holds; exact, so adding it back restores this state.
   *
   * @throws ArithmeticException if the magnitude would reach 2^32768
   */
  public void subtract(ExactSum other) {
    merge(other, -1);
    nans -= other.nans;
    positiveInfinities -= other.positiveInfinities;
    negativeInfinities -= other.negativeInfinities;
  }

  /** An independent sum equal to this one. */
  public ExactSum copy() {
    ExactSum copy = new ExactSum();
    copy.copyFrom(this);
    copy.nans = nans;
    copy.positiveInfinities = positiveInfinities;
    copy.negativeInfinities = negativeInfinities;
    return copy;
  }

  /** Resets to the empty sum, keeping the memory already allocated. */
  public void clear() {
    clearFinite();
    nans = 0;
    positiveInfinities = 0;
    negativeInfinities = 0;
  }

  /** Whether only finite values were added (or every non-finite one was subtracted again). */
  public boolean isFinite() {
    return nans == 0 && positiveInfinities == 0 && negativeInfinities == 0;
  }

  /** The sum correctly rounded to the nearest double, ties to even; see the class note on NaN. */
  public double doubleValue() {
    if (nans > 0 || (positiveInfinities > 0 && negativeInfinities > 0)) {
      return Double.NaN;
    }
    if (positiveInfinities > 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (negativeInfinities > 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return roundToDouble();
  }

  /**
   * The sum as a long.
   *
   * @throws ArithmeticException if it is not finite, not an integer or out of the long range
   */
  public long longValueExact() {
    requireFinite("convert exact sum to long");
    FixedPoint n = normalized();
    if (n.isZero()) {
      return 0;
    }
    if (n.anyBitBelow(0)) {
      throw new ArithmeticException(
          "Cannot convert exact sum to long: it has a fractional part (use doubleValue())");
    }
    long magnitude = n.window(63);
    int top = n.topBit();
    if (top > 63 || (top == 63 && (!n.negative || magnitude != Long.MIN_VALUE))) {
      throw new ArithmeticException(
          "Cannot convert exact sum to long: it is out of the long range (use toBigDecimal())");
    }
    return n.negative ? -magnitude : magnitude;
  }

  /**
   * The exact finite sum, with the smallest non-negative scale that represents it.
   *
   * @throws ArithmeticException if a non-finite value is held
   */
  public BigDecimal toBigDecimal() {
    requireFinite("convert exact sum to BigDecimal");
    return exactValue();
  }

  /** Writes the canonical form: equal sums write equal bytes; see {@code ExactSumCodec}. */
  public void writeTo(DataOutput out) throws IOException {
    ExactSumCodec.write(this, out);
  }

  /**
   * Reads what {@link #writeTo} wrote.
   *
   * @throws dev.lockstep.api.CorruptDataException if the bytes do not describe a sum
   * @throws java.io.EOFException if the input ends early
   */
  public static ExactSum readFrom(DataInput in) throws IOException {
    return ExactSumCodec.read(in);
  }

  /** Equal when both hold the same finite value and the same special counts. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ExactSum sum
        && sum.nans == nans
        && sum.positiveInfinities == positiveInfinities
        && sum.negativeInfinities == negativeInfinities
        && sameValue(sum);
  }

  @Override
  public int hashCode() {
    int hash = valueHash();
    hash = 31 * hash + Long.hashCode(nans);
    hash = 31 * hash + Long.hashCode(positiveInfinities);
    return 31 * hash + Long.hashCode(negativeInfinities);
  }

  @Override
  public String toString() {
    return isFinite() ? toBigDecimal().toPlainString() : Double.toString(doubleValue());
  }

  /** The NaN, positive and negative infinity counts, for the codec. */
  long[] specialCounts() {
    return new long[] {nans, positiveInfinities, negativeInfinities};
  }

  /** A sum with validated normal limbs and special counts, for the codec: already normalized. */
  static ExactSum of(long[] limbs, int base, boolean negative, long[] specialCounts) {
    ExactSum sum = new ExactSum();
    sum.assignNormalized(limbs, base, negative);
    sum.nans = specialCounts[0];
    sum.positiveInfinities = specialCounts[1];
    sum.negativeInfinities = specialCounts[2];
    return sum;
  }

  private void requireFinite(String action) {
    if (!isFinite()) {
      throw new ArithmeticException(
          "Cannot " + action + ": the sum holds non-finite values (check isFinite() first)");
    }
  }
}
