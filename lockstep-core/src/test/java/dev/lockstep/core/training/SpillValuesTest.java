package dev.lockstep.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillValuesTest {
  @TempDir Path directory;

  @Test
  void everyValueTypeReadsBackAsWritten() {
    byte[] large = new byte[(1 << 18) + 17]; // longer than the spill buffer
    Arrays.fill(large, (byte) 7);
    List<Object> values = new ArrayList<>(Arrays.asList(
        null, 42L, -0.0, Double.NaN, "é€𝄞", "", Arrays.asList(1L, null, "x"), 7, 1.5f, true, false,
        new byte[] {1, -2, 3}, large, "x".repeat(300_000)));
    Path file = directory.resolve("values.spill");
    try (SpillWriter out = new SpillWriter(file)) {
      values.forEach(out::putValue);
    }
    try (SpillReader in = new SpillReader(file)) {
      for (Object expected : values) {
        Object actual = in.getValue();
        if (expected instanceof byte[] bytes) {
          assertThat((byte[]) actual).isEqualTo(bytes);
        } else if (expected instanceof Double number) {
          assertThat(Double.doubleToRawLongBits((Double) actual)).isEqualTo(Double.doubleToRawLongBits(number));
        } else {
          assertThat(actual).isEqualTo(expected);
        }
      }
      assertThat(in.atEnd()).isTrue();
    }
  }
}
