package dev.lockstep.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.fake.PlainOnlineStore;
import dev.lockstep.spi.online.OnlineStore;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.spi.online.SupportsTtl;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  private final OnlineStore memory = Backends.load(OnlineStore.class, "memory", Map.of());
  private final OnlineStore plain = new PlainOnlineStore();

  @Test
  void returnsTheSameBackendAsTheCapabilityWhenItHasIt() {
    SupportsTtl ttl = Capabilities.require(memory, SupportsTtl.class, "expiry");
    SupportsAtomicCheckpoint checkpoints =
        Capabilities.require(memory, SupportsAtomicCheckpoint.class, "exactly-once apply");

    assertThat(ttl).isSameAs(memory);
    assertThat(checkpoints).isSameAs(memory);
  }

  @Test
  void failsNamingTheBackendAndOperationWhenItLacksIt() {
    assertThatThrownBy(() -> Capabilities.require(plain, SupportsTtl.class, "expiry"))
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessage("plain does not support expiry");
  }

  @Test
  void usesTheDisplayNameInTheMessage() {
    OnlineStore renamed =
        new PlainOnlineStore() {
          @Override
          public String displayName() {
            return "Redis";
          }
        };

    assertThatThrownBy(
            () ->
                Capabilities.require(renamed, SupportsAtomicCheckpoint.class, "atomic checkpoints"))
        .isExactlyInstanceOf(UnsupportedBackendOperationException.class)
        .hasMessage("Redis does not support atomic checkpoints");
  }
}
