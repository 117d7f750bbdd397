package dev.lockstep.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberParserTest {
  private final NumberParser parser = new NumberParser();

  private int parseLong(String text) {
    byte[] bytes = ("," + text + ",").getBytes(StandardCharsets.UTF_8);
    return parser.parseLong(bytes, 1, bytes.length - 2);
  }

  private int parseDouble(String text) {
    byte[] bytes = ("," + text + ",").getBytes(StandardCharsets.UTF_8);
    return parser.parseDouble(bytes, 1, bytes.length - 2);
  }

  @Test
  void readsLongsUpToTheirLimits() {
    assertThat(parseLong("0")).isZero();
    assertThat(parser.longValue()).isZero();
    assertThat(parseLong("-42")).isZero();
    assertThat(parser.longValue()).isEqualTo(-42L);
    assertThat(parseLong("+7")).isZero();
    assertThat(parser.longValue()).isEqualTo(7L);
    assertThat(parseLong("9223372036854775807")).isZero();
    assertThat(parser.longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(parseLong("-9223372036854775808")).isZero();
    assertThat(parser.longValue()).isEqualTo(Long.MIN_VALUE);
    assertThat(parseLong("9223372036854775808")).isEqualTo(NumberParser.OUT_OF_RANGE);
    assertThat(parseLong("-9223372036854775809")).isEqualTo(NumberParser.OUT_OF_RANGE);
    assertThat(parseLong("99999999999999999999")).isEqualTo(NumberParser.OUT_OF_RANGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "+", "1.5", "1e3", " 1", "1 ", "0x10", "12a", "99999999999999999999x"})
  void rejectsWhatIsNotALong(String text) {
    assertThat(parseLong(text)).isEqualTo(NumberParser.INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", ".", "e5", "1e", "1e+", "abc", "NaN", "Infinity", "-Infinity", "1.5d",
      "1f", "0x1p3", " 1", "1 ", "1..2", "1.2.3", "--1", "1,5"})
  void rejectsWhatIsNotADouble(String text) {
    assertThat(parseDouble(text)).isEqualTo(NumberParser.INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "12.5", "-12.5", "+3", ".5", "5.", "1e3", "1E-3", "2.5e+10",
      "0.1", "123456789012345", "1234567890123456789", "0.000000000000000000000000001",
      "123456789012345678901234567890.5", "4.9e-324", "1.7976931348623157e308"})
  void readsDoublesAsJavaDoes(String text) {
    assertThat(parseDouble(text)).isZero();
    assertThat(Double.doubleToRawLongBits(parser.doubleValue()))
        .as(text)
        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
  }

  @Test
  void doublesBeyondTheLargestFiniteOneAreOutOfRange() {
    assertThat(parseDouble("1e400")).isEqualTo(NumberParser.OUT_OF_RANGE);
    assertThat(parseDouble("-1.8e308")).isEqualTo(NumberParser.OUT_OF_RANGE);
  }

  @Test
  void theFastPathRoundsLikeJavaOnRandomDecimals() {
    Random random = new Random(7L);
    for (int i = 0; i < 200_000; i++) {
      long unscaled = random.nextLong() % 1_000_000_000_000_000L;
      int scale = random.nextInt(25);
      String text = new BigDecimal(java.math.BigInteger.valueOf(unscaled), scale).toPlainString();
      assertThat(parseDouble(text)).isZero();
      assertThat(parser.doubleValue()).as(text).isEqualTo(Double.parseDouble(text));
    }
  }
}
