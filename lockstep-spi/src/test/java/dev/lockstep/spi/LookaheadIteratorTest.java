package dev.lockstep.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class LookaheadIteratorTest {
  /** Counts down from {@code from}, recording how often it was asked. */
  private static final class Countdown extends LookaheadIterator<Integer> {
    private int remaining;
    private int computed;

    Countdown(int from) {
      this.remaining = from;
    }

    @Override
    protected Integer computeNext() {
      computed++;
      return remaining > 0 ? remaining-- : null;
    }

    @Override
    public void close() {}
  }

  @Test
  void yieldsEachElementOnceAndStopsAskingAfterTheEnd() {
    Countdown countdown = new Countdown(3);
    assertThat(countdown.hasNext()).isTrue();
    assertThat(countdown.hasNext()).isTrue();
    List<Integer> seen = new ArrayList<>();
    countdown.forEachRemaining(seen::add);
    assertThat(seen).containsExactly(3, 2, 1);
    assertThat(countdown.hasNext()).isFalse();
    assertThat(countdown.hasNext()).isFalse();
    assertThat(countdown.computed).isEqualTo(4);
    assertThatThrownBy(countdown::next).isInstanceOf(NoSuchElementException.class);
  }
}
