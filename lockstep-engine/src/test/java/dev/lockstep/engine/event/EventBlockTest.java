package dev.lockstep.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.ValueType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventBlockTest {
  private static final EventSchema SCHEMA =
      EventSchema.of("n", ValueType.LONG, "x", ValueType.DOUBLE, "s", ValueType.STRING);

  @Test
  void appendRowsCopiesTheChosenRowsInOrderWithTheirNulls() {
    SplittableRandom random = new SplittableRandom(3);
    EventBlock source = new EventBlock(SCHEMA, 4);
    for (int i = 0; i < 300; i++) {
      int row = source.append(random.nextLong(1000), random.nextLong(1000), i);
      source.set(0, row, random.nextInt(4) == 0 ? null : (Object) random.nextLong());
      source.set(1, row, random.nextInt(4) == 0 ? null : (Object) random.nextDouble());
      source.set(2, row, random.nextInt(4) == 0 ? null : "v" + random.nextInt(9));
    }
    int[] rows = new int[200];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextInt(300);
    }
    EventBlock target = new EventBlock(SCHEMA, 1);
    int existing = target.append(-1, -1, -1);
    target.appendRows(source, rows, 50, 180);
    assertThat(target.size()).isEqualTo(131);
    assertThat(target.eventTimes()[existing]).isEqualTo(-1);
    for (int i = 0; i < 130; i++) {
      int from = rows[50 + i];
      int to = 1 + i;
      assertThat(target.eventTimes()[to]).isEqualTo(source.eventTimes()[from]);
      assertThat(target.ingestTimes()[to]).isEqualTo(source.ingestTimes()[from]);
      assertThat(target.sequences()[to]).isEqualTo(source.sequences()[from]);
      for (int column = 0; column < 3; column++) {
        assertThat(target.value(column, to)).isEqualTo(source.value(column, from));
      }
    }
  }

  @Test
  void appendRowsRefusesAnotherSchema() {
    EventBlock other = new EventBlock(EventSchema.of("n", ValueType.LONG));
    assertThatThrownBy(() -> new EventBlock(SCHEMA).appendRows(other, new int[0], 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot copy rows of ");
  }
}
