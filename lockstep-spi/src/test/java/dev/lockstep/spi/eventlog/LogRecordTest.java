package dev.lockstep.spi.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogRecordTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void comparesByContent() {
    LogRecord record = new LogRecord(utf8("k"), utf8("v"), 5);

    assertThat(record)
        .isEqualTo(new LogRecord(utf8("k"), utf8("v"), 5))
        .hasSameHashCodeAs(new LogRecord(utf8("k"), utf8("v"), 5))
        .isNotEqualTo(new LogRecord(utf8("k"), utf8("w"), 5))
        .isNotEqualTo(new LogRecord(utf8("j"), utf8("v"), 5))
        .isNotEqualTo(new LogRecord(utf8("k"), utf8("v"), 6));
  }

  @Test
  void printsSizesButNotContent() {
    assertThat(new LogRecord(utf8("user-1"), utf8("secret"), 5))
        .hasToString("LogRecord[key=6 bytes, value=6 bytes, timestampMillis=5]");
  }

  @Test
  void requiresKeyAndValue() {
    assertThatThrownBy(() -> new LogRecord(null, utf8("v"), 0))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("key");
    assertThatThrownBy(() -> new LogRecord(utf8("k"), null, 0)).hasMessage("value");
  }
}
