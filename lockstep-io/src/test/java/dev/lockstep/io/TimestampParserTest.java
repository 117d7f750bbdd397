package dev.lockstep.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampParserTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static long parse(TimestampParser parser, String text, int expectedStatus) {
    byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.US_ASCII);
    assertThat(parser.parse(bytes, 2, text.length())).as(text).isEqualTo(expectedStatus);
    return parser.millis();
  }

  @Test
  void readsInstantsWithZOrOffset() {
    TimestampParser parser = new TimestampParser(Optional.empty());
    assertThat(parse(parser, "2026-01-31T10:00:00Z", 0)).isEqualTo(millis("2026-01-31T10:00:00Z"));
    assertThat(parse(parser, "2026-01-31t10:00:00z", 0)).isEqualTo(millis("2026-01-31T10:00:00Z"));
    assertThat(parse(parser, "2026-01-31 10:00Z", 0)).isEqualTo(millis("2026-01-31T10:00:00Z"));
    assertThat(parse(parser, "2026-01-31T10:00:00.5Z", 0)).isEqualTo(millis("2026-01-31T10:00:00.500Z"));
    assertThat(parse(parser, "2026-01-31T10:00:00.123000000Z", 0)).isEqualTo(millis("2026-01-31T10:00:00.123Z"));
    assertThat(parse(parser, "2026-01-31T10:00:00+05:30", 0)).isEqualTo(millis("2026-01-31T04:30:00Z"));
    assertThat(parse(parser, "2026-01-31T10:00:00-0200", 0)).isEqualTo(millis("2026-01-31T12:00:00Z"));
    assertThat(parse(parser, "2026-01-31T10:00:00+01", 0)).isEqualTo(millis("2026-01-31T09:00:00Z"));
    assertThat(parse(parser, "1969-12-31T23:59:59.999Z", 0)).isEqualTo(-1L);
    assertThat(parse(parser, "2024-02-29T00:00:00Z", 0)).isEqualTo(millis("2024-02-29T00:00:00Z"));
  }

  @Test
  void readsEpochMilliseconds() {
    TimestampParser parser = new TimestampParser(Optional.empty());
    assertThat(parse(parser, "1769853600000", 0)).isEqualTo(1_769_853_600_000L);
    assertThat(parse(parser, "-5", 0)).isEqualTo(-5L);
    assertThat(parse(parser, "0", 0)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-13-01 10:00", "2026-02-29T10:00:00Z", "2026-01-32T10:00:00Z", "2026-01-31T24:00:00Z",
      "2026-01-31T10:60:00Z", "2026-01-31T10:00:60Z", "2026-01-31T10:00:00.Z",
      "2026-01-31T10:00:00.1234567891Z", "2026-01-31T10:00:00+19:00", "2026-01-31T10:00:00+05:3",
      "2026-01-31T10:00:00 Z", "2026-01-31T10", "2026-01-31X10:00", "26-01-31", "abc", "1.5", "-",
      "99999999999999999999", "2026-01-31T10:00:00ZZ", " 2026-01-31T10:00:00Z"})
  void rejectsWhatIsNotATimestamp(String text) {
    TimestampParser parser = new TimestampParser(Optional.of(ZoneOffset.UTC));
    parse(parser, text, TimestampParser.NOT_A_TIMESTAMP);
  }

  @Test
  void zoneLessTimesNeedAZone() {
    TimestampParser withoutZone = new TimestampParser(Optional.empty());
    parse(withoutZone, "2026-01-01T10:00:00", TimestampParser.NO_ZONE);
    parse(withoutZone, "2026-01-01", TimestampParser.NO_ZONE);

    TimestampParser paris = new TimestampParser(Optional.of(PARIS));
    assertThat(parse(paris, "2026-01-01T10:00:00", 0)).isEqualTo(millis("2026-01-01T09:00:00Z"));
    assertThat(parse(paris, "2026-07-01T10:00:00.250", 0)).isEqualTo(millis("2026-07-01T08:00:00.250Z"));
    assertThat(parse(paris, "2026-01-31", 0)).isEqualTo(millis("2026-01-30T23:00:00Z"));
    // An explicit offset wins over the declared zone.
    assertThat(parse(paris, "2026-01-01T10:00:00Z", 0)).isEqualTo(millis("2026-01-01T10:00:00Z"));
    // 02:30 on 2026-10-25 happens twice in Paris: the earlier offset (+02:00) is taken.
    assertThat(parse(paris, "2026-10-25T02:30:00", 0)).isEqualTo(millis("2026-10-25T00:30:00Z"));
    // 02:30 on 2026-03-29 does not exist in Paris: moved forward by the gap to 03:30 (+02:00).
    assertThat(parse(paris, "2026-03-29T02:30:00", 0)).isEqualTo(millis("2026-03-29T01:30:00Z"));

    TimestampParser fixed = new TimestampParser(Optional.of(ZoneId.of("-03:00")));
    assertThat(parse(fixed, "2026-01-01T10:00:00", 0)).isEqualTo(millis("2026-01-01T13:00:00Z"));
  }

  @Test
  void subMillisecondDigitsAreReportedWithTheValueRoundedDown() {
    TimestampParser parser = new TimestampParser(Optional.empty());
    assertThat(parse(parser, "2026-01-01T10:00:00.123456Z", TimestampParser.SUB_MILLISECOND))
        .isEqualTo(millis("2026-01-01T10:00:00.123Z"));
    assertThat(parse(parser, "2026-01-01T10:00:00.000000001Z", TimestampParser.SUB_MILLISECOND))
        .isEqualTo(millis("2026-01-01T10:00:00Z"));
  }

  @Test
  void reasonsAreOneLineWithAHint() {
    assertThat(TimestampParser.reason(TimestampParser.NOT_A_TIMESTAMP, "x", "hint"))
        .isEqualTo("'x' is not a timestamp (use ISO-8601 such as 2026-01-31T10:00:00Z)");
    assertThat(TimestampParser.reason(TimestampParser.NO_ZONE, "2026-01-01T10:00:00", "hint"))
        .isEqualTo("'2026-01-01T10:00:00' has no zone (hint)");
    assertThat(TimestampParser.reason(TimestampParser.SUB_MILLISECOND, "t", "hint"))
        .isEqualTo("'t' has sub-millisecond precision (Lockstep keeps milliseconds: round or truncate"
            + " the times to whole milliseconds)");
  }

  @Test
  void agreesWithJavaTimeOnRandomInstantsAndOffsets() {
    Random random = new Random(20260131L);
    TimestampParser parser = new TimestampParser(Optional.empty());
    DateTimeFormatter format = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    for (int i = 0; i < 20_000; i++) {
      long expected = random.nextLong() % 253_402_300_799_000L; // within years 0000..9999
      if (expected < -62_167_219_200_000L) {
        expected = -expected;
      }
      ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(36 * 4 + 1) - 18 * 4) * 900);
      OffsetDateTime time = Instant.ofEpochMilli(expected).atOffset(offset);
      if (time.getYear() < 0 || time.getYear() > 9999) {
        continue;
      }
      String text = time.format(format);
      assertThat(parse(parser, text, 0)).as(text).isEqualTo(expected);
    }
  }

  @Test
  void wallClockConversionFollowsTheZone() {
    long wallClock = LocalDateTime.parse("2026-07-01T10:00:00").toEpochSecond(ZoneOffset.UTC) * 1000L + 7;
    assertThat(TimestampParser.wallClockToUtc(wallClock, PARIS)).isEqualTo(millis("2026-07-01T08:00:00.007Z"));
    assertThat(TimestampParser.wallClockToUtc(wallClock, ZoneId.of("+01:00")))
        .isEqualTo(millis("2026-07-01T09:00:00.007Z"));
  }

  @Test
  void parsesCharSequencesLikeBytes() {
    TimestampParser parser = new TimestampParser(Optional.empty());
    assertThat(parser.parse("2026-01-31T10:00:00Z")).isEqualTo(TimestampParser.OK);
    assertThat(parser.millis()).isEqualTo(millis("2026-01-31T10:00:00Z"));
    assertThat(parser.parse("2026-01-31T10:00:00Ž")).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    assertThat(parser.parse("")).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
  }
}
