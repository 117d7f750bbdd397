package dev.lockstep.io;

import java.nio.charset.StandardCharsets;

/**
 * Parses numbers written as ASCII text, strictly: a long is {@code [+-]?[0-9]+} within the range of
 * a long; a double is {@code [+-]?(digits[.digits]|.digits)([eE][+-]?digits)?} (no {@code NaN},
 * {@code Infinity}, hexadecimal, type suffix or surrounding spaces, all of which {@link
 * Double#parseDouble} would take); a double beyond the largest finite one is {@link #OUT_OF_RANGE}
 * rather than infinite. Doubles are correctly rounded: short decimals take the exact
 * fast path (an integer below 2^53 divided or multiplied by an exact power of ten, one rounding),
 * others go through {@link Double#parseDouble}.
 *
 * <p>Not thread-safe: the value of the last successful parse is held in this object.
 */
final class NumberParser {
  static final int OK = 0;
  static final int INVALID = 1;
  static final int OUT_OF_RANGE = 2;

  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double power = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = power;
      power *= 10;
    }
  }

  private long longValue;
  private double doubleValue;

  long longValue() {
    return longValue;
  }

  double doubleValue() {
    return doubleValue;
  }

  /** Parses a long from {@code bytes[offset, offset + length)}; returns a status constant. */
  int parseLong(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int p = offset;
    boolean negative = false;
    if (p < end && (bytes[p] == '-' || bytes[p] == '+')) {
      negative = bytes[p] == '-';
      p++;
    }
    if (p == end) {
      return INVALID;
    }
    // Accumulate negatively so that Long.MIN_VALUE fits.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long value = 0;
    boolean overflow = false;
    for (; p < end; p++) {
      int digit = bytes[p] - '0';
      if (digit < 0 || digit > 9) {
        return INVALID;
      }
      if (value < (limit + digit) / 10) {
        overflow = true;
      } else {
        value = value * 10 - digit;
      }
    }
    if (overflow) {
      return OUT_OF_RANGE;
    }
    longValue = negative ? value : -value;
    return OK;
  }

  /** Parses a double from {@code bytes[offset, offset + length)}; returns a status constant. */
  int parseDouble(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int p = offset;
    boolean negative = false;
    if (p < end && (bytes[p] == '-' || bytes[p] == '+')) {
      negative = bytes[p] == '-';
      p++;
    }
    long mantissa = 0;
    int significant = 0;
    int integerDigits = 0;
    for (; p < end && isDigit(bytes[p]); p++, integerDigits++) {
      mantissa = mantissa * 10 + (bytes[p] - '0');
      if (mantissa != 0) {
        significant++;
      }
    }
    int fractionDigits = 0;
    if (p < end && bytes[p] == '.') {
      p++;
      for (; p < end && isDigit(bytes[p]); p++, fractionDigits++) {
        mantissa = mantissa * 10 + (bytes[p] - '0');
        if (mantissa != 0) {
          significant++;
        }
      }
    }
    if (integerDigits + fractionDigits == 0) {
      return INVALID;
    }
    boolean exponent = false;
    if (p < end && (bytes[p] == 'e' || bytes[p] == 'E')) {
      exponent = true;
      p++;
      if (p < end && (bytes[p] == '-' || bytes[p] == '+')) {
        p++;
      }
      int start = p;
      while (p < end && isDigit(bytes[p])) {
        p++;
      }
      if (p == start) {
        return INVALID;
      }
    }
    if (p != end) {
      return INVALID;
    }
    if (!exponent && significant <= 15 && fractionDigits < POWERS_OF_TEN.length) {
      // Both operands are exact doubles, so the one division rounds correctly.
      double value = (double) mantissa / POWERS_OF_TEN[fractionDigits];
      doubleValue = negative ? -value : value;
      return OK;
    }
    doubleValue = Double.parseDouble(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    return Double.isInfinite(doubleValue) ? OUT_OF_RANGE : OK;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
