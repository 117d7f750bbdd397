package dev.lockstep.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomEventsTest {
  private static final long HOP = 60_000;

  @Test
  void sameSeedGivesTheSameEventsAndQueryTimes() {
    RandomEvents a = RandomEvents.builder(ValueType.DOUBLE).seed(5).build();
    RandomEvents b = RandomEvents.builder(ValueType.DOUBLE).seed(5).build();
    List<OracleEvent> events = a.events(500);
    assertThat(b.events(500)).isEqualTo(events);
    Window window = Window.sliding(Duration.ofMinutes(5));
    assertThat(b.queryTimes(events, window, 100)).containsExactly(a.queryTimes(events, window, 100));
    assertThat(RandomEvents.builder(ValueType.DOUBLE).seed(6).build().events(500)).isNotEqualTo(events);
  }

  @Test
  void entitiesHaveTheRequestedSizesAndGloballyUniqueSequencesInIngestOrder() {
    Map<String, List<OracleEvent>> entities = RandomEvents.builder(ValueType.LONG).build().entities(20, 5, 50);
    assertThat(entities).hasSize(20).containsKeys("e0", "e19");
    Set<Long> sequences = new HashSet<>();
    for (List<OracleEvent> events : entities.values()) {
      assertThat(events.size()).isBetween(5, 50);
      for (int i = 0; i < events.size(); i++) {
        assertThat(sequences.add(events.get(i).sequence())).isTrue();
        assertThat(events.get(i).ingestTime()).isGreaterThanOrEqualTo(events.get(i).eventTime());
        if (i > 0) {
          assertThat(events.get(i).ingestTime()).isGreaterThanOrEqualTo(events.get(i - 1).ingestTime());
          assertThat(events.get(i).sequence()).isGreaterThan(events.get(i - 1).sequence());
        }
      }
    }
  }

  @Test
  void eventsAreAdversarial() {
    List<OracleEvent> events = RandomEvents.builder(ValueType.LONG).hopMillis(HOP).nullRate(0.2).build().events(5_000);
    assertThat(events).hasSize(5_000);
    double nulls = events.stream().filter(e -> e.value() == null).count() / 5_000.0;
    assertThat(nulls).isBetween(0.17, 0.23);
    assertThat(events).anyMatch(e -> e.eventTime() < 0);
    assertThat(events).filteredOn(e -> Math.floorMod(e.eventTime(), HOP) == 0).hasSizeGreaterThan(200);
    assertThat(events).filteredOn(e -> Math.floorMod(e.eventTime(), HOP) == HOP - 1).hasSizeGreaterThan(100);
    assertThat(events).filteredOn(e -> e.ingestTime() - e.eventTime() >= HOP).hasSizeGreaterThan(200);
    Set<Long> times = new HashSet<>();
    assertThat(events.stream().filter(e -> !times.add(e.eventTime())).count()).isGreaterThan(1_000);
    Set<List<Long>> eventAndIngest = new HashSet<>();
    assertThat(events).anyMatch(e -> !eventAndIngest.add(List.of(e.eventTime(), e.ingestTime())));
    assertThat(events).anyMatch(e -> e.value() instanceof Long l && (l == Long.MAX_VALUE || l == Long.MIN_VALUE));
  }

  @Test
  void valuesHaveTheRequestedType() {
    List<OracleEvent> doubles = RandomEvents.builder(ValueType.DOUBLE).extremeRate(0.2).build().events(2_000);
    assertThat(doubles).allMatch(e -> e.value() == null || e.value() instanceof Double d && Double.isFinite(d));
    assertThat(doubles).anyMatch(e -> e.value() instanceof Double d && Double.doubleToRawLongBits(d) == Long.MIN_VALUE);
    assertThat(doubles).anyMatch(e -> Double.valueOf(Double.MIN_VALUE).equals(e.value()));

    List<OracleEvent> nonFinite = RandomEvents.builder(ValueType.DOUBLE).nonFiniteRate(0.1).build().events(500);
    assertThat(nonFinite).anyMatch(e -> e.value() instanceof Double d && Double.isNaN(d));

    List<OracleEvent> strings = RandomEvents.builder(ValueType.STRING).build().events(2_000);
    assertThat(strings).allMatch(e -> e.value() == null || e.value() instanceof String);
    assertThat(strings).anyMatch(e -> "\uD83D\uDE00".equals(e.value()));
    assertThat(strings).anyMatch(e -> "\uFFFD".equals(e.value()));
  }

  @Test
  void queryTimesHitEventsBoundariesAndBothEnds() {
    RandomEvents random = RandomEvents.builder(ValueType.LONG).hopMillis(HOP).build();
    List<OracleEvent> events = random.events(200);
    Window window = Window.sliding(Duration.ofMinutes(5), Duration.ofMinutes(1));
    long[] times = random.queryTimes(events, window, 300);
    long first = events.stream().mapToLong(OracleEvent::eventTime).min().getAsLong();
    long last = events.stream().mapToLong(OracleEvent::eventTime).max().getAsLong();
    assertThat(times).isSorted().doesNotHaveDuplicates().contains(first, first - 1, last + 1);
    assertThat(times[0]).isLessThan(first);
    assertThat(times[times.length - 1]).isGreaterThan(last + window.sizeMillis() + window.hopMillis());
    Set<Long> eventTimes = new HashSet<>();
    events.forEach(e -> eventTimes.add(e.eventTime()));
    assertThat(Arrays.stream(times).filter(eventTimes::contains).count()).isGreaterThan(20);
    assertThat(Arrays.stream(times).filter(t -> Math.floorMod(t, HOP) == 0).count()).isGreaterThan(20);
    assertThat(random.queryTimes(List.of(), window, 10)).isNotEmpty().isSorted();
  }

  @Test
  void rejectsInvalidOptions() {
    assertThatThrownBy(() -> RandomEvents.builder(ValueType.LONG).duplicateRate(0.8).boundaryRate(0.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build random events: hop and span must be ≥ 1, rates between 0 and 1, and"
            + " duplicateRate + boundaryRate ≤ 1");
    assertThatThrownBy(() -> RandomEvents.builder(ValueType.LONG).build().entities(1, 5, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot generate 1 entities of 5 to 4 events: counts must be ≥ 0 and min ≤ max");
  }
}
