package dev.lockstep.spi.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RegistryVersionTest {
  private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

  @Test
  void comparesContentByValue() {
    assertThat(new RegistryVersion(1, AT, new byte[] {1}))
        .isEqualTo(new RegistryVersion(1, AT, new byte[] {1}))
        .hasSameHashCodeAs(new RegistryVersion(1, AT, new byte[] {1}))
        .isNotEqualTo(new RegistryVersion(1, AT, new byte[] {2}))
        .isNotEqualTo(new RegistryVersion(2, AT, new byte[] {1}))
        .hasToString(
            "RegistryVersion[version=1, committedAt=2024-05-01T10:00:00Z, content=1 bytes]");
  }

  @Test
  void startsVersionsAtOne() {
    assertThatThrownBy(() -> new RegistryVersion(0, AT, new byte[0]))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build registry version 0: versions start at 1");
  }
}
