package dev.lockstep.embedded.rocksdb;

import dev.lockstep.api.CorruptDataException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Values of the {@code views} column family: one kind byte, then for {@link #EXPIRING} the expiry
 * as big-endian epoch milliseconds (8 bytes), then the caller's value, verbatim.
 *
 * <p>Expiry is lazy: an expired value stays on disk until its key is overwritten or deleted or its
 * view dropped, and {@link #decode} reports it as absent.
 */
final class StoredValue {
  /** A value that never expires. */
  static final byte PLAIN = 0;

  /** A value followed by its expiry time. */
  static final byte EXPIRING = 1;

  /** Expiry never in effect: the value is kept until overwritten. */
  static final long NEVER = Long.MIN_VALUE;

  private static final int EXPIRING_HEADER = 9;

  private StoredValue() {}

  /**
   * The expiry of a value written now with {@code ttl}: one millisecond later than {@code now +
   * ttl} rounded up, because {@code now} was truncated to the millisecond, so that expiry is never
   * early. Saturates at {@link Long#MAX_VALUE}.
   */
  static long expiry(long nowMillis, Duration ttl) {
    long ttlMillis;
    try {
      ttlMillis = ttl.plusNanos(999_999).toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    long expiry = nowMillis + ttlMillis + 1;
    return expiry < nowMillis ? Long.MAX_VALUE : expiry;
  }

  /** The stored form of {@code value} expiring at {@code expiry}, or never if {@link #NEVER}. */
  static byte[] encode(byte[] value, long expiry) {
    if (expiry == NEVER) {
      byte[] stored = new byte[1 + value.length];
      stored[0] = PLAIN;
      System.arraycopy(value, 0, stored, 1, value.length);
      return stored;
    }
    byte[] stored = new byte[EXPIRING_HEADER + value.length];
    stored[0] = EXPIRING;
    for (int i = 0; i < 8; i++) {
      stored[1 + i] = (byte) (expiry >>> (56 - 8 * i));
    }
    System.arraycopy(value, 0, stored, EXPIRING_HEADER, value.length);
    return stored;
  }

  /**
   * The caller's value in {@code stored}, or null if {@code stored} is null or expired at the
   * current time.
   *
   * @throws CorruptDataException if {@code stored} is not a value this class wrote
   */
  static byte[] decode(byte[] stored) {
    if (stored == null) {
      return null;
    }
    if (stored.length >= 1 && stored[0] == PLAIN) {
      return Arrays.copyOfRange(stored, 1, stored.length);
    }
    if (stored.length >= EXPIRING_HEADER && stored[0] == EXPIRING) {
      long expiry = 0;
      for (int i = 1; i < EXPIRING_HEADER; i++) {
        expiry = (expiry << 8) | (stored[i] & 0xFF);
      }
      if (System.currentTimeMillis() >= expiry) {
        return null;
      }
      return Arrays.copyOfRange(stored, EXPIRING_HEADER, stored.length);
    }
    throw new CorruptDataException(
        "Cannot read a value from the RocksDB online store: it starts with kind "
            + (stored.length == 0 ? "none (empty)" : Integer.toString(stored[0] & 0xFF))
            + " of "
            + stored.length
            + " bytes, this Lockstep knows kinds 0 and 1"
            + " (the store is damaged or newer: rebuild it, or upgrade Lockstep)");
  }
}
