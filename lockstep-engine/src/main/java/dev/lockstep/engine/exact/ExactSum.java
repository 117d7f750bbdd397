package dev.lockstep.engine.exact;

import dev.lockstep.api.CorruptDataException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact, order-independent sum of doubles and longs. Adding the same multiset of values in any
 * order, or summing parts and merging them, gives the same state and the same bytes.
 *
 * <p>Non-finite inputs are counted apart from the finite exact part: the value is NaN when a NaN
 * was added or both infinities were, otherwise the infinity that was added, otherwise the correctly
 * rounded finite sum. Counts subtract like the finite part, so {@link #subtract} is exact too.
 *
 * <p>Provisional implementation on {@link BigDecimal}: correct, slow. Mutable, not thread-safe.
 */
public final class ExactSum {
  private BigDecimal finite = BigDecimal.ZERO;
  private long nans;
  private long positiveInfinities;
  private long negativeInfinities;

  /** Adds {@code value} exactly. */
  public void add(double value) {
    if (Double.isNaN(value)) {
      nans++;
    } else if (value == Double.POSITIVE_INFINITY) {
      positiveInfinities++;
    } else if (value == Double.NEGATIVE_INFINITY) {
      negativeInfinities++;
    } else if (value != 0.0) {
      finite = finite.add(new BigDecimal(value));
    }
  }

  /** Adds {@code value} exactly. */
  public void add(long value) {
    finite = finite.add(BigDecimal.valueOf(value));
  }

  /** Adds {@code value * value} exactly (no rounding of the square). */
  public void addSquare(double value) {
    if (Double.isNaN(value)) {
      nans++;
    } else if (Double.isInfinite(value)) {
      positiveInfinities++;
    } else if (value != 0.0) {
      BigDecimal exact = new BigDecimal(value);
      finite = finite.add(exact.multiply(exact));
    }
  }

  /** Adds {@code value * value} exactly. */
  public void addSquare(long value) {
    BigDecimal exact = BigDecimal.valueOf(value);
    finite = finite.add(exact.multiply(exact));
  }

  /** Adds everything {@code other} holds. */
  public void add(ExactSum other) {
    finite = finite.add(other.finite);
    nans += other.nans;
    positiveInfinities += other.positiveInfinities;
    negativeInfinities += other.negativeInfinities;
  }

  /** Removes everything {@code other} holds; exact, so adding it back restores this state. */
  public void subtract(ExactSum other) {
    finite = finite.subtract(other.finite);
    nans -= other.nans;
    positiveInfinities -= other.positiveInfinities;
    negativeInfinities -= other.negativeInfinities;
  }

  public ExactSum copy() {
    ExactSum copy = new ExactSum();
    copy.add(this);
    return copy;
  }

  public void clear() {
    finite = BigDecimal.ZERO;
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
    return finite.doubleValue();
  }

  /**
   * The sum as a long.
   *
   * @throws ArithmeticException if it is not finite, not an integer or out of the long range
   */
  public long longValueExact() {
    if (!isFinite()) {
      throw new ArithmeticException("the sum is not finite");
    }
    return finite.longValueExact();
  }

  /**
   * The exact finite sum.
   *
   * @throws ArithmeticException if a non-finite value is held
   */
  public BigDecimal toBigDecimal() {
    if (!isFinite()) {
      throw new ArithmeticException("the sum is not finite");
    }
    return finite;
  }

  /** Writes the canonical form: equal sums write equal bytes. */
  public void writeTo(DataOutput out) throws IOException {
    BigDecimal canonical = finite.signum() == 0 ? BigDecimal.ZERO : finite.stripTrailingZeros();
    byte[] unscaled = canonical.unscaledValue().toByteArray();
    out.writeInt(canonical.scale());
    out.writeInt(unscaled.length);
    out.write(unscaled);
    out.writeLong(nans);
    out.writeLong(positiveInfinities);
    out.writeLong(negativeInfinities);
  }

  /**
   * Reads what {@link #writeTo} wrote.
   *
   * @throws CorruptDataException if the bytes do not describe a sum
   */
  public static ExactSum readFrom(DataInput in) throws IOException {
    int scale = in.readInt();
    int length = in.readInt();
    if (length < 1 || length > 1 << 16) {
      throw new CorruptDataException("Cannot read exact sum: magnitude length " + length + " is out of range");
    }
    byte[] unscaled = new byte[length];
    in.readFully(unscaled);
    ExactSum sum = new ExactSum();
    sum.finite = new BigDecimal(new BigInteger(unscaled), scale);
    sum.nans = in.readLong();
    sum.positiveInfinities = in.readLong();
    sum.negativeInfinities = in.readLong();
    return sum;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExactSum sum
        && sum.finite.compareTo(finite) == 0
        && sum.nans == nans
        && sum.positiveInfinities == positiveInfinities
        && sum.negativeInfinities == negativeInfinities;
  }

  @Override
  public int hashCode() {
    return finite.signum() == 0 ? 0 : finite.stripTrailingZeros().hashCode();
  }

  @Override
  public String toString() {
    return isFinite() ? finite.toPlainString() : Double.toString(doubleValue());
  }
}
