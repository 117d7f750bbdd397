package dev.lockstep.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityKeyTest {

  @Test
  void comparesByContentNotIdentity() {
    EntityKey a = EntityKey.of(new byte[] {1, 2, 3});
    EntityKey b = EntityKey.of(new byte[] {1, 2, 3});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(EntityKey.of(new byte[] {1, 2}));
    assertThat(EntityKey.of("u-1")).isEqualTo(EntityKey.of(new byte[] {'u', '-', '1'}));
  }

  @Test
  void copiesItsBytesInAndOut() {
    byte[] bytes = {1, 2};
    EntityKey key = EntityKey.of(bytes);
    bytes[0] = 9;
    key.bytes()[1] = 9;

    assertThat(key.bytes()).containsExactly(1, 2);
    assertThat(key.size()).isEqualTo(2);
  }

  @Test
  void ordersBytesAsUnsigned() {
    EntityKey low = EntityKey.of(new byte[] {0x7f});
    EntityKey high = EntityKey.of(new byte[] {(byte) 0x80});
    EntityKey longer = EntityKey.of(new byte[] {0x7f, 0});
    List<EntityKey> keys = new ArrayList<>(List.of(high, longer, low));
    keys.sort(null);

    assertThat(keys).containsExactly(low, longer, high);
  }

  @Test
  void printsAsHex() {
    assertThat(EntityKey.of("u-1")).hasToString("EntityKey[752d31]");
  }

  @Test
  void rejectsAnEmptyKey() {
    assertThatThrownBy(() -> EntityKey.of(""))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build entity key: it has no bytes");
  }
}
