package dev.lockstep.engine.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.EventSchema;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatestValueSweepTest {
  private static final EventSchema PROFILE = EventSchema.of("tier", ValueType.STRING, "limit", ValueType.LONG);
  private static final long MINUTE = 60_000;

  @Test
  void takesTheRowBeforeTAndExpiresAfterTheTtl() {
    EventBlock events = new EventBlock(PROFILE);
    int first = events.append(10 * MINUTE, 10 * MINUTE, 1);
    events.set(0, first, "gold");
    events.set(1, first, 100L);
    int second = events.append(20 * MINUTE, 20 * MINUTE, 2);
    events.set(0, second, null); // a later null overrides, unlike last
    events.set(1, second, 200L);
    LatestValueSweep sweep = LatestValueSweep.bind(PROFILE, List.of(
        new LatestSpec("tier", "tier", -1), new LatestSpec("limit", "limit", 5 * MINUTE)), PointInTimeMode.EVENT_TIME);
    long[] times = {10 * MINUTE, 10 * MINUTE + 1, 15 * MINUTE, 15 * MINUTE + 1, 20 * MINUTE + 1};
    Object[][] values = new Object[2][times.length];
    sweep.evaluate(events, times, values, 0);
    assertThat(values[0]).containsExactly(null, "gold", "gold", "gold", null);
    assertThat(values[1]).containsExactly(null, 100L, 100L, null, 200L);
  }

  @Test
  void matchesBruteForceInBothModes() {
    SplittableRandom random = new SplittableRandom(42);
    for (int trial = 0; trial < 500; trial++) {
      EventBlock events = new EventBlock(PROFILE);
      int size = random.nextInt(0, 30);
      for (int i = 0; i < size; i++) {
        long eventTime = random.nextLong(0, 20) * MINUTE / 4;
        long ingestTime = eventTime + (random.nextInt(4) == 0 ? random.nextLong(0, 10 * MINUTE) : 0);
        int row = events.append(eventTime, ingestTime, i);
        events.set(0, row, random.nextInt(5) == 0 ? null : "t" + random.nextInt(4));
        events.set(1, row, (long) random.nextInt(1000));
      }
      long ttl = random.nextBoolean() ? -1 : random.nextLong(1, 5) * MINUTE / 2;
      long[] times = new long[random.nextInt(1, 15)];
      for (int q = 0; q < times.length; q++) {
        times[q] = random.nextLong(-1, 25) * MINUTE / 4 + (random.nextBoolean() ? 0 : 1);
      }
      for (PointInTimeMode mode : PointInTimeMode.values()) {
        LatestValueSweep sweep = LatestValueSweep.bind(PROFILE,
            List.of(new LatestSpec("tier", "tier", ttl), new LatestSpec("limit", "limit", ttl)), mode);
        Object[][] values = new Object[2][times.length];
        sweep.evaluate(events, times, values, 0);
        for (int q = 0; q < times.length; q++) {
          int expected = bruteForceLatest(events, times[q], mode);
          boolean expired = expected >= 0 && ttl >= 0 && times[q] - events.eventTimes()[expected] > ttl;
          for (int column = 0; column < 2; column++) {
            Object want = expected < 0 || expired ? null : events.value(column, expected);
            assertThat(values[column][q]).as("trial %d mode %s t=%d", trial, mode, times[q]).isEqualTo(want);
          }
        }
      }
    }
  }

  /** The index of the greatest (event, ingest, sequence) row visible at t, scanning every row. */
  private static int bruteForceLatest(EventBlock events, long t, PointInTimeMode mode) {
    int best = -1;
    for (int row = 0; row < events.size(); row++) {
      boolean visible = events.eventTimes()[row] < t
          && (mode == PointInTimeMode.EVENT_TIME || events.ingestTimes()[row] < t);
      if (visible && (best < 0 || later(events, row, best))) {
        best = row;
      }
    }
    return best;
  }

  private static boolean later(EventBlock events, int row, int other) {
    long[] e = events.eventTimes();
    long[] i = events.ingestTimes();
    long[] s = events.sequences();
    if (e[row] != e[other]) {
      return e[row] > e[other];
    }
    if (i[row] != i[other]) {
      return i[row] > i[other];
    }
    return s[row] > s[other];
  }

  @Test
  void rejectsANonPositiveTtl() {
    assertThatThrownBy(() -> new LatestSpec("x", "tier", 0))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define latest-value feature 'x': ttl 0 ms is not positive");
  }
}
