package dev.lockstep.spi.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.spi.EntityKey;
import org.junit.jupiter.api.Test;

class EntryTest {

  @Test
  void comparesByContentAndPrintsNoValue() {
    Entry entry = new Entry(EntityKey.of("u"), new byte[] {1, 2});

    assertThat(entry)
        .isEqualTo(new Entry(EntityKey.of("u"), new byte[] {1, 2}))
        .hasSameHashCodeAs(new Entry(EntityKey.of("u"), new byte[] {1, 2}))
        .isNotEqualTo(new Entry(EntityKey.of("u"), new byte[] {1}))
        .isNotEqualTo(new Entry(EntityKey.of("v"), new byte[] {1, 2}))
        .hasToString("Entry[key=EntityKey[75], value=2 bytes]");
  }
}
