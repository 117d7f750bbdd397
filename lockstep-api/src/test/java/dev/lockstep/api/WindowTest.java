package dev.lockstep.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowTest {

  @Test
  void defaultHopsFollowTheDesignTable() {
    assertThat(Window.defaultHop(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    assertThat(Window.defaultHop(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(1));
    assertThat(Window.defaultHop(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(Window.defaultHop(Duration.ofHours(1).plusMillis(1))).isEqualTo(Duration.ofMinutes(5));
    assertThat(Window.defaultHop(Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(5));
    assertThat(Window.defaultHop(Duration.ofDays(7))).isEqualTo(Duration.ofHours(1));
    assertThat(Window.defaultHop(Duration.ofDays(14))).isEqualTo(Duration.ofHours(1));
    assertThat(Window.defaultHop(Duration.ofDays(15))).isEqualTo(Duration.ofDays(1));
    assertThat(Window.sliding(Duration.ofDays(30))).hasToString("30d/1d");
  }

  @Test
  void lifetimeWindowsHaveNoSize() {
    assertThat(Window.lifetime().isLifetime()).isTrue();
    assertThat(Window.lifetime().size()).isNull();
    assertThat(Window.lifetime().sizeMillis()).isEqualTo(-1);
    assertThat(Window.lifetime()).hasToString("lifetime");
  }

  @Test
  void badWindowsAreRefusedWithAHint() {
    assertThatThrownBy(() -> Window.sliding(Duration.ofMinutes(5), Duration.ofMinutes(10)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define window 5m with hop 10m: the hop must not exceed the window (use a hop of at most 5m)");
    assertThatThrownBy(() -> Window.sliding(Duration.ZERO))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define window size PT0S: it must be a positive whole number of milliseconds (e.g. 5m, 1h, 30d)");
    assertThatThrownBy(() -> Window.sliding(Duration.ofNanos(1_500_000)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("whole number of milliseconds");
  }

  @Test
  void equalWindowsAreEqual() {
    assertThat(Window.sliding(Duration.ofHours(1))).isEqualTo(Window.sliding(Duration.ofMinutes(60), Duration.ofMinutes(1)))
        .hasSameHashCodeAs(Window.sliding(Duration.ofMinutes(60), Duration.ofMinutes(1)))
        .isNotEqualTo(Window.sliding(Duration.ofHours(1), Duration.ofMinutes(5)));
  }
}
