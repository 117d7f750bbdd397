package dev.lockstep.io;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Parses a timestamp written as text into epoch milliseconds, without allocating on the common
 * path. Accepted forms:
 *
 * <ul>
 *   <li>epoch milliseconds as an integer, such as {@code 1769853600000} or {@code -5} (so a bare
 *       {@code 20260131} is a time in 1970, not a date);
 *   <li>{@code yyyy-MM-dd'T'HH:mm[:ss[.fraction]]} followed by {@code Z} or an offset {@code +hh},
 *       {@code +hhmm} or {@code +hh:mm}; a space or {@code t} may stand for the {@code T} and
 *       {@code z} for the {@code Z}; the fraction has 1 to 9 digits;
 *   <li>the same without offset, and a date alone ({@code yyyy-MM-dd}, meaning its midnight), only
 *       when a zone is given: the wall-clock time is read in that zone. In a daylight-saving
 *       overlap the earlier offset is used; a time in a gap is moved forward by the gap's length
 *       (the {@code java.time} rule).
 * </ul>
 *
 * <p>Times are kept in milliseconds (docs/architecture.md, "Semantics"). A fraction with non-zero digits beyond the
 * millisecond is reported as {@link #SUB_MILLISECOND}, with {@link #millis()} holding the value
 * rounded down, so that a source can reject it rather than silently truncate: two events 0.3 ms
 * apart would otherwise tie and be ordered by ingest time instead of by when they happened, and
 * engines disagree on truncating versus rounding. Trailing zeros ({@code .123000}) are fine.
 *
 * <p>Not thread-safe: {@link #millis()} holds the result of the last parse.
 */
final class TimestampParser {
  static final int OK = 0;
  static final int NOT_A_TIMESTAMP = 1;
  static final int NO_ZONE = 2;
  static final int SUB_MILLISECOND = 3;

  static final String EXAMPLE = "use ISO-8601 such as 2026-01-31T10:00:00Z";
  static final String SUB_MILLISECOND_HINT =
      "Lockstep keeps milliseconds: round or truncate the times to whole milliseconds";

  private final ZoneId zone;
  private final boolean fixedOffset;
  private final int offsetSeconds;
  private final byte[] scratch = new byte[64];
  private long millis;

  /** @param zone the zone of zone-less times, if any */
  TimestampParser(Optional<ZoneId> zone) {
    this.zone = zone.orElse(null);
    this.fixedOffset = this.zone != null && this.zone.getRules().isFixedOffset();
    this.offsetSeconds =
        fixedOffset ? this.zone.getRules().getOffset(java.time.Instant.EPOCH).getTotalSeconds() : 0;
  }

  /** The epoch milliseconds of the last parse that returned {@link #OK} or {@link #SUB_MILLISECOND}. */
  long millis() {
    return millis;
  }

  /** Parses {@code text}; returns a status constant. */
  int parse(CharSequence text) {
    int length = text.length();
    if (length == 0 || length > scratch.length) {
      return NOT_A_TIMESTAMP;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return NOT_A_TIMESTAMP;
      }
      scratch[i] = (byte) c;
    }
    return parse(scratch, 0, length);
  }

  /** Parses the ASCII text in {@code bytes[offset, offset + length)}; returns a status constant. */
  int parse(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return NOT_A_TIMESTAMP;
    }
    int end = offset + length;
    if (length < 10 || bytes[offset + 4] != '-') {
      return parseEpochMillis(bytes, offset, end);
    }
    int year = digits(bytes, offset, 4);
    int month = digits(bytes, offset + 5, 2);
    int day = digits(bytes, offset + 8, 2);
    if (year < 0 || month < 1 || month > 12 || bytes[offset + 7] != '-' || day < 1
        || day > daysInMonth(year, month)) {
      return NOT_A_TIMESTAMP;
    }
    int p = offset + 10;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int milli = 0;
    boolean subMillisecond = false;
    boolean hasOffset = false;
    int offset0 = 0;
    if (p < end) {
      byte separator = bytes[p];
      if ((separator != 'T' && separator != 't' && separator != ' ') || p + 6 > end) {
        return NOT_A_TIMESTAMP;
      }
      hour = digits(bytes, p + 1, 2);
      minute = digits(bytes, p + 4, 2);
      if (hour < 0 || hour > 23 || bytes[p + 3] != ':' || minute < 0 || minute > 59) {
        return NOT_A_TIMESTAMP;
      }
      p += 6;
      if (p < end && bytes[p] == ':') {
        second = p + 3 <= end ? digits(bytes, p + 1, 2) : -1;
        if (second < 0 || second > 59) {
          return NOT_A_TIMESTAMP;
        }
        p += 3;
        if (p < end && bytes[p] == '.') {
          int start = ++p;
          while (p < end && bytes[p] >= '0' && bytes[p] <= '9') {
            int digit = bytes[p] - '0';
            int position = p - start;
            if (position < 3) {
              milli = milli * 10 + digit;
            } else if (digit != 0) {
              subMillisecond = true;
            }
            p++;
          }
          int count = p - start;
          if (count == 0 || count > 9) {
            return NOT_A_TIMESTAMP;
          }
          for (int i = count; i < 3; i++) {
            milli *= 10;
          }
        }
      }
      if (p < end) {
        byte sign = bytes[p];
        if ((sign == 'Z' || sign == 'z') && p + 1 == end) {
          hasOffset = true;
        } else if (sign == '+' || sign == '-') {
          offset0 = parseOffset(bytes, p + 1, end);
          if (offset0 < 0) {
            return NOT_A_TIMESTAMP;
          }
          offset0 = sign == '-' ? -offset0 : offset0;
          hasOffset = true;
        } else {
          return NOT_A_TIMESTAMP;
        }
      }
    }
    long localSeconds =
        epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    if (hasOffset) {
      millis = (localSeconds - offset0) * 1000L + milli;
    } else if (zone == null) {
      return NO_ZONE;
    } else if (fixedOffset) {
      millis = (localSeconds - offsetSeconds) * 1000L + milli;
    } else {
      millis =
          ZonedDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second), zone)
                  .toEpochSecond()
              * 1000L
              + milli;
    }
    return subMillisecond ? SUB_MILLISECOND : OK;
  }

  /** The one-line reason for a failed parse of {@code text} with {@code status}. */
  static String reason(int status, String text, String zoneHint) {
    return switch (status) {
      case NO_ZONE -> "'" + text + "' has no zone (" + zoneHint + ")";
      case SUB_MILLISECOND -> "'" + text + "' has sub-millisecond precision (" + SUB_MILLISECOND_HINT + ")";
      default -> "'" + text + "' is not a timestamp (" + EXAMPLE + ")";
    };
  }

  /**
   * The UTC epoch milliseconds of a wall-clock time in {@code zone}, given as milliseconds since
   * 1970-01-01T00:00 of that wall clock; the same overlap and gap rules as zone-less text.
   */
  static long wallClockToUtc(long wallClockMillis, ZoneId zone) {
    if (zone.getRules().isFixedOffset()) {
      return wallClockMillis - zone.getRules().getOffset(java.time.Instant.EPOCH).getTotalSeconds() * 1000L;
    }
    long seconds = Math.floorDiv(wallClockMillis, 1000L);
    int milli = (int) Math.floorMod(wallClockMillis, 1000L);
    LocalDateTime local = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    return ZonedDateTime.of(local, zone).toEpochSecond() * 1000L + milli;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  private int parseEpochMillis(byte[] bytes, int offset, int end) {
    int p = offset;
    boolean negative = bytes[p] == '-';
    if (negative) {
      p++;
    }
    if (p == end || end - p > 19) {
      return NOT_A_TIMESTAMP;
    }
    long value = 0;
    for (; p < end; p++) {
      int digit = bytes[p] - '0';
      if (digit < 0 || digit > 9) {
        return NOT_A_TIMESTAMP;
      }
      if (value > (Long.MAX_VALUE - digit) / 10) {
        return NOT_A_TIMESTAMP;
      }
      value = value * 10 + digit;
    }
    millis = negative ? -value : value;
    return OK;
  }

  /** Seconds of an offset {@code hh}, {@code hhmm} or {@code hh:mm} up to 18:00, or -1. */
  private static int parseOffset(byte[] bytes, int p, int end) {
    int length = end - p;
    int hours = length >= 2 ? digits(bytes, p, 2) : -1;
    int minutes;
    if (length == 2) {
      minutes = 0;
    } else if (length == 4) {
      minutes = digits(bytes, p + 2, 2);
    } else if (length == 5 && bytes[p + 2] == ':') {
      minutes = digits(bytes, p + 3, 2);
    } else {
      return -1;
    }
    if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
      return -1;
    }
    return hours * 3600 + minutes * 60;
  }

  /** The value of {@code count} ASCII digits at {@code p}, or -1 if any is not a digit. */
  private static int digits(byte[] bytes, int p, int count) {
    int value = 0;
    for (int i = p; i < p + count; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int daysInMonth(int year, int month) {
    if (month == 2) {
      boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }
}
