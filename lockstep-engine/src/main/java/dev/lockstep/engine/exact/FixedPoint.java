package dev.lockstep.engine.exact;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * A signed binary fixed-point number, the finite part of an {@link ExactSum}: 32-bit limbs held in
 * {@code long}s, limb {@code k} weighing 2^(32k) for k from -68 to 1023 (bits 2^-2176 to
 * 2^32767), only the limbs between the lowest and highest exponent touched stored (an array plus
 * the limb index of its first element).
 *
 * <p>Additions are carry-save: a limb takes signed values beyond 32 bits and carries are propagated
 * ("normalized") only every 2^30 additions, each changing a limb by less than 2^32 (so no long
 * overflows), and before any read. The normal form is a sign and magnitude limbs in [0, 2^32): it
 * is unique for a value, which makes bytes canonical and equality a comparison of limbs. The
 * value is {@code negative ? -Σ : Σ} in either form, so later additions flip their sign when
 * {@code negative} is set.
 *
 * <p>Only additions change a number. Reading methods (the value, equality, hashing, encoding, being
 * merged into another number) work on {@link #normalized()} and never write, so a number that no
 * thread adds to any more may be read from many threads at once once it is safely published.
 */
class FixedPoint {
  static final long LIMB_MASK = 0xFFFF_FFFFL;
  /** Lowest limb index of sums: limb -68 holds bit -2148, the square of the smallest subnormal. */
  static final int MIN_LIMB = -68;
  /** Highest limb index: 2^32736 and up is reachable only by merging a sum into itself. */
  static final int MAX_LIMB = 1023;

  private static final int PENDING_LIMIT = 1 << 30;
  private static final long[] NO_LIMBS = {};

  /** Carry-save limbs; {@code limbs[i]} weighs 2^(32·(base + i)). */
  long[] limbs = NO_LIMBS;
  int base;
  /** The value is minus the sum of the limbs; false for zero once normalized. */
  boolean negative;
  /** Array indices of the lowest and highest non-zero limb; valid when normalized. */
  int low;
  int high = -1;
  /** Additions since the last normalization; 0 means normalized. */
  private int pending;

  FixedPoint() {}

  /** A number whose carry-save limbs are {@code limbs}, limb 0 weighing 2^(32·base). */
  FixedPoint(long[] limbs, int base, boolean negative) {
    assign(limbs, base, negative);
  }

  /** Takes {@code limbs} (carry-save, limb 0 weighing 2^(32·base)) as the value. */
  final void assign(long[] limbs, int base, boolean negative) {
    this.limbs = limbs;
    this.base = base;
    this.negative = negative;
    this.pending = 1;
  }

  /**
   * Takes {@code limbs}, already in normal form (magnitude limbs in [0, 2^32), the first and the
   * last non-zero, or none for zero), as the value.
   */
  final void assignNormalized(long[] limbs, int base, boolean negative) {
    this.limbs = limbs;
    this.base = base;
    this.negative = negative && limbs.length > 0;
    this.low = 0;
    this.high = limbs.length - 1;
    this.pending = 0;
  }

  /**
   * This number in normal form, without changing it: this number when it is normalized, otherwise a
   * normalized copy. Every reading method reads through it.
   */
  final FixedPoint normalized() {
    if (pending == 0) {
      return this;
    }
    FixedPoint copy = new FixedPoint();
    copy.copyFrom(this);
    copy.normalize();
    return copy;
  }

  // ---- additions ----

  /** Adds ±magnitude·2^position (magnitude read unsigned); sign is 0 for plus, -1 for minus. */
  final void addShifted(long magnitude, int position, long sign) {
    int limb = position >> 5;
    int index = limb - base;
    long[] array = limbs;
    if (index < 0 || index + 2 >= array.length) {
      array = makeRoom(limb, limb + 2);
      index = limb - base;
    }
    int shift = position & 31;
    long flip = sign ^ (negative ? -1L : 0L); // (x ^ flip) - flip negates x when flip is -1
    array[index] += (((magnitude << shift) & LIMB_MASK) ^ flip) - flip;
    array[index + 1] += (((magnitude >>> (32 - shift)) & LIMB_MASK) ^ flip) - flip;
    array[index + 2] += ((magnitude >>> 32 >>> (32 - shift)) ^ flip) - flip;
    if (++pending >= PENDING_LIMIT) {
      normalize();
    }
  }

  /** Adds the non-negative 128-bit {@code highBits:lowBits} times 2^position. */
  final void addShifted128(long highBits, long lowBits, int position) {
    addShifted128(highBits, lowBits, position, 0L);
  }

  /**
   * Adds ({@code sign} 0) or subtracts ({@code sign} -1) the non-negative 128-bit
   * {@code highBits:lowBits} times 2^position.
   */
  final void addShifted128(long highBits, long lowBits, int position, long sign) {
    int limb = position >> 5;
    int index = limb - base;
    long[] array = limbs;
    if (index < 0 || index + 4 >= array.length) {
      array = makeRoom(limb, limb + 4);
      index = limb - base;
    }
    int shift = position & 31;
    long flip = sign ^ (negative ? -1L : 0L);
    long middle = (highBits << shift) | (lowBits >>> 1 >>> (63 - shift)); // bits 64..127, shifted
    array[index] += (((lowBits << shift) & LIMB_MASK) ^ flip) - flip;
    array[index + 1] += (((lowBits >>> (32 - shift)) & LIMB_MASK) ^ flip) - flip;
    array[index + 2] += ((middle & LIMB_MASK) ^ flip) - flip;
    array[index + 3] += (((highBits >>> (32 - shift)) & LIMB_MASK) ^ flip) - flip;
    array[index + 4] += ((highBits >>> 1 >>> (63 - shift)) ^ flip) - flip;
    if (++pending >= PENDING_LIMIT) {
      normalize();
    }
  }

  /** Adds ({@code sign} 0) or subtracts ({@code sign} -1) {@code other}, which may be this. */
  final void merge(FixedPoint other, long sign) {
    FixedPoint added = other.normalized(); // other is only read: it may be shared with other threads
    if (added.high < added.low) {
      return;
    }
    long[] source = added.limbs; // read before growing: other may be this
    int from = added.low;
    int to = added.high;
    long flip = sign ^ (added.negative != negative ? -1L : 0L);
    int lowLimb = added.base + from;
    int highLimb = added.base + to;
    if (highLimb >= MAX_LIMB) {
      throw overflow(); // refused before any change
    }
    if (lowLimb < base || highLimb >= base + limbs.length) {
      makeRoom(lowLimb, highLimb);
    }
    long[] target = limbs;
    int shift = added.base - base;
    for (int i = from; i <= to; i++) {
      target[i + shift] += (source[i] ^ flip) - flip;
    }
    if (++pending >= PENDING_LIMIT) {
      normalize();
    }
  }

  final void copyFrom(FixedPoint other) {
    limbs = other.limbs.clone();
    base = other.base;
    negative = other.negative;
    low = other.low;
    high = other.high;
    pending = other.pending;
  }

  final void clearFinite() {
    Arrays.fill(limbs, 0);
    negative = false;
    low = 0;
    high = -1;
    pending = 0;
  }

  /** Propagates pending carries into the normal form, in place: for the owner of the number only. */
  final void normalize() {
    if (pending == 0) {
      return;
    }
    pending = 0;
    long[] array = limbs;
    long carry = 0;
    int i = 0;
    while (true) {
      for (; i < array.length; i++) {
        long value = array[i] + carry;
        array[i] = value & LIMB_MASK;
        carry = value >> 32;
      }
      if (carry == 0 || carry == -1) {
        break; // the sign: all limbs above are zeros or ones
      }
      array = growTo(base + array.length); // upward only: indices stay; carry into the new limbs
    }
    if (carry == -1) { // two's complement of a negative sum: negate it into a magnitude
      long borrow = 1;
      for (i = 0; i < array.length; i++) {
        long value = (~array[i] & LIMB_MASK) + borrow;
        array[i] = value & LIMB_MASK;
        borrow = value >>> 32;
      }
      if (borrow != 0) { // the magnitude is exactly 2^(32·length)
        int index = array.length;
        array = growTo(base + index);
        array[index] = 1;
      }
      negative = !negative;
    }
    int first = 0;
    while (first < array.length && array[first] == 0) {
      first++;
    }
    if (first == array.length) {
      low = 0;
      high = -1;
      negative = false;
      return;
    }
    int last = array.length - 1;
    while (array[last] == 0) {
      last--;
    }
    low = first;
    high = last;
  }

  // ---- reads: the methods below read through normalized() or require a normalized number ----

  final boolean isZero() {
    FixedPoint n = normalized();
    return n.high < n.low;
  }

  /** The value correctly rounded to a double. */
  final double roundToDouble() {
    FixedPoint n = normalized();
    if (n.high < n.low) {
      return 0.0;
    }
    // The top 64 bits from the top three limbs, and whether any bit below them is set.
    long[] array = n.limbs;
    int h = n.high;
    long l2 = array[h];
    long l1 = h >= 1 ? array[h - 1] : 0; // limbs below low are zero
    long l0 = h >= 2 ? array[h - 2] : 0;
    int zeros = Long.numberOfLeadingZeros(l2) - 32;
    long top64 = (l2 << (32 + zeros)) | (l1 << zeros) | (l0 >>> (32 - zeros));
    boolean sticky = (l0 << (32 + zeros)) != 0 || h - 3 >= n.low;
    return Rounding.round(top64, sticky, 32 * (n.base + h) + 31 - zeros, n.negative);
  }

  /** The exponent of the highest set bit; normalized and non-zero. */
  final int topBit() {
    return 32 * (base + high) + 63 - Long.numberOfLeadingZeros(limbs[high]);
  }

  /** The exponent of bit 0 of the lowest non-zero limb; normalized and non-zero. */
  final int lowestBit() {
    return 32 * (base + low);
  }

  /** The bits with exponents {@code top - 63} to {@code top} of the normalized magnitude. */
  final long window(int top) {
    int bottom = top - 63 - 32 * base; // array-relative index of the result's bit 0
    long result = 0;
    int last = Math.min((bottom + 63) >> 5, high);
    for (int i = Math.max(bottom >> 5, low); i <= last; i++) {
      int offset = 32 * i - bottom;
      result |= offset >= 0 ? limbs[i] << offset : limbs[i] >>> -offset;
    }
    return result;
  }

  /** Whether the normalized magnitude has a set bit with an exponent below {@code exponent}. */
  final boolean anyBitBelow(int exponent) {
    int bit = exponent - 32 * base;
    int limb = bit >> 5;
    if (limb != low) {
      return limb > low && high >= low;
    }
    return (limbs[low] & ((1L << (bit & 31)) - 1)) != 0;
  }

  /** The magnitude m of a normalized non-zero number: its value is ±m·2^lowestBit(). */
  final BigInteger magnitude() {
    byte[] bytes = new byte[4 * (high - low + 1)];
    for (int i = high, at = 0; i >= low; i--, at += 4) {
      long limb = limbs[i];
      bytes[at] = (byte) (limb >>> 24);
      bytes[at + 1] = (byte) (limb >>> 16);
      bytes[at + 2] = (byte) (limb >>> 8);
      bytes[at + 3] = (byte) limb;
    }
    return new BigInteger(1, bytes);
  }

  /** The exact value with the smallest non-negative scale. */
  final BigDecimal exactValue() {
    FixedPoint n = normalized();
    if (n.high < n.low) {
      return BigDecimal.ZERO;
    }
    BigInteger unscaled = n.magnitude();
    int trailingZeros = unscaled.getLowestSetBit();
    unscaled = unscaled.shiftRight(trailingZeros);
    if (n.negative) {
      unscaled = unscaled.negate();
    }
    int exponent = n.lowestBit() + trailingZeros; // the value is unscaled·2^exponent, unscaled odd
    if (exponent >= 0) {
      return new BigDecimal(unscaled.shiftLeft(exponent));
    }
    return new BigDecimal(unscaled.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
  }

  /** Whether both hold the same value. */
  final boolean sameValue(FixedPoint other) {
    FixedPoint a = normalized();
    FixedPoint b = other.normalized();
    if (a.high < a.low || b.high < b.low) {
      return a.high < a.low && b.high < b.low;
    }
    return b.negative == a.negative
        && b.base + b.low == a.base + a.low
        && Arrays.equals(a.limbs, a.low, a.high + 1, b.limbs, b.low, b.high + 1);
  }

  /** A hash of the value, equal for equal values. */
  final int valueHash() {
    FixedPoint n = normalized();
    int hash = n.high < n.low ? 0 : (n.base + n.low) * 2 + (n.negative ? 1 : 0);
    for (int i = n.low; i <= n.high; i++) {
      hash = 31 * hash + (int) n.limbs[i];
    }
    return hash;
  }

  // ---- storage ----

  /** Makes limbs {@code lowLimb..highLimb} addressable, with slack; returns the new array. */
  private long[] makeRoom(int lowLimb, int highLimb) {
    if (highLimb > MAX_LIMB) {
      throw overflow();
    }
    int oldHigh = base + limbs.length - 1;
    // Slack of two limbs on a side that grows; a side that need not grow stays put.
    int newLow = limbs.length == 0 || lowLimb < base ? lowLimb - 2 : base;
    int newHigh = limbs.length == 0 || highLimb > oldHigh ? highLimb + 2 : oldHigh;
    newLow = Math.max(newLow, Math.min(MIN_LIMB, base));
    newHigh = Math.min(newHigh, Math.max(MAX_LIMB, oldHigh));
    long[] grown = new long[newHigh - newLow + 1];
    if (limbs.length > 0) {
      System.arraycopy(limbs, 0, grown, base - newLow, limbs.length);
      low += base - newLow;
      high += base - newLow;
    }
    limbs = grown;
    base = newLow;
    return grown;
  }

  /** Grows upward so limb {@code limb} is addressable; returns the new array. */
  private long[] growTo(int limb) {
    return makeRoom(base, limb);
  }

  private static ArithmeticException overflow() {
    return new ArithmeticException(
        "Cannot add to exact sum: the magnitude would reach 2^"
            + 32 * (MAX_LIMB + 1)
            + " (only merging a sum into itself very many times gets there)");
  }
}
