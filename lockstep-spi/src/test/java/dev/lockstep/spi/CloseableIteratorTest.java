package dev.lockstep.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseableIteratorTest {

  @Test
  void iteratesWhatItWraps() {
    List<String> seen = new ArrayList<>();
    try (CloseableIterator<String> iterator = CloseableIterator.of(List.of("a", "b").iterator())) {
      iterator.forEachRemaining(seen::add);
      assertThat(iterator.hasNext()).isFalse();
    }

    assertThat(seen).containsExactly("a", "b");
  }
}
