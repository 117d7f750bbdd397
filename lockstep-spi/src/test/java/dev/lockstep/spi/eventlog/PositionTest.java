package dev.lockstep.spi.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionTest {

  @Test
  void ordersByPartitionThenOffset() {
    List<Position> positions =
        new ArrayList<>(List.of(new Position(1, 0), new Position(0, 7), new Position(0, 2)));
    positions.sort(null);

    assertThat(positions)
        .containsExactly(new Position(0, 2), new Position(0, 7), new Position(1, 0));
  }

  @Test
  void stepsToTheNextOffsetInTheSamePartition() {
    assertThat(Position.start(3).next()).isEqualTo(new Position(3, 1)).hasToString("3:1");
  }

  @Test
  void rejectsNegativeParts() {
    assertThatThrownBy(() -> new Position(-1, 0))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build position -1:0: partition and offset must be >= 0");
    assertThatThrownBy(() -> new Position(0, -5))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }
}
