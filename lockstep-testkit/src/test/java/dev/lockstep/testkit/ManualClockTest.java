package dev.lockstep.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  private static final Instant START = Instant.parse("2024-03-01T12:00:00Z");

  @Test
  void readsTheSameInstantUntilMoved() {
    ManualClock clock = new ManualClock(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void advancesAndSets() {
    ManualClock clock = ManualClock.ofEpochMilli(1_000);
    assertThat(clock.advance(Duration.ofSeconds(2))).isEqualTo(Instant.ofEpochMilli(3_000));
    assertThat(clock.advanceMillis(5)).isEqualTo(Instant.ofEpochMilli(3_005));
    clock.set(START);
    assertThat(clock.instant()).isEqualTo(START);
    clock.setEpochMilli(-1);
    assertThat(clock.millis()).isEqualTo(-1);
  }

  @Test
  void refusesToAdvanceBackwards() {
    ManualClock clock = new ManualClock(START);
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot advance the clock by PT-0.001S: the duration is negative (use set() to move it back)");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void zonedViewsShareTheInstant() {
    ManualClock clock = new ManualClock(START);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    clock.advance(Duration.ofHours(1));
    assertThat(paris.instant()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }
}
