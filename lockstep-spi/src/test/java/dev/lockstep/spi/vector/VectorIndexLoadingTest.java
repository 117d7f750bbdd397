package dev.lockstep.spi.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.Backends;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VectorIndexLoadingTest {

  @Test
  void configuresTheDimensionFromProperties() {
    assertThat(Backends.load(VectorIndex.class, "memory", Map.of("dimension", "384")).dimension())
        .isEqualTo(384);
  }

  @Test
  void failsOnOneLineWhenARequiredPropertyIsMissing() {
    assertThatThrownBy(() -> Backends.load(VectorIndex.class, "memory", Map.of()))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'memory': property 'dimension' is required but not set "
                + "(set it in the memory properties)");
  }
}
