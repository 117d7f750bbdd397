package dev.lockstep.spi.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowTest {

  @Test
  void holdsTimesSequenceAndValuesByPosition() {
    Row row = Row.of(1_000, 2_000, 7, "u-1", 3L, null, 2.5);

    assertThat(row.eventTimeMillis()).isEqualTo(1_000);
    assertThat(row.ingestTimeMillis()).isEqualTo(2_000);
    assertThat(row.sequence()).isEqualTo(7);
    assertThat(row.size()).isEqualTo(4);
    assertThat(row.value(1)).isEqualTo(3L);
    assertThat(row.value(2)).isNull();
  }

  @Test
  void copiesItsValuesAndKeepsThemReadOnly() {
    List<Object> values = new ArrayList<>(List.of("a"));
    Row row = new Row(0, 0, 0, values);
    values.add("b");

    assertThat(row.values()).containsExactly("a");
    assertThatThrownBy(() -> row.values().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsValuesOfUnsupportedJavaTypes() {
    assertThatThrownBy(() -> Row.of(0, 0, 0, "a", 5))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build row: value 1 is a Integer (use Long, Double, String or null)");
  }
}
