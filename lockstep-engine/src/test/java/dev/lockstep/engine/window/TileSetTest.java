package dev.lockstep.engine.window;

import static dev.lockstep.engine.ResultAssertions.assertMatchesOracle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.TestData;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.aggregate.Aggregators;
import dev.lockstep.engine.codec.TileSetCodec;
import dev.lockstep.testkit.oracle.NaiveOracle;
import dev.lockstep.testkit.oracle.OracleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Tile sets filled in any order evaluate exactly at every time from their raw floor on. */
class TileSetTest {

  /**
   * Encoding remembers each tile's payload until an event is added to it: a state encoded, decoded,
   * given more events (some late, into older tiles) and encoded again must give the bytes a
   * cache-free copy of the same partials encodes to, and evaluate like a build from all events.
   */
  @Test
  void reEncodingAfterMoreEventsGivesTheBytesOfAFreshBuild() {
    for (int trial = 0; trial < 400; trial++) {
      long seed = 0xCAC4EL + trial;
      SplittableRandom random = new SplittableRandom(seed);
      ValueType type = ValueType.values()[random.nextInt(3)];
      Aggregation aggregation = TestData.aggregation(random, type);
      Window window = TestData.window(random, 3_000);
      Aggregator<?, ?> aggregator = Aggregators.create(aggregation, type);
      List<OracleEvent> events = TestData.events(random, type, 1 + random.nextInt(80), 0.2, 3_000, window.hopMillis());
      int split = random.nextInt(events.size() + 1);
      TileSet<?> whole = fill(aggregator, window, events);
      TileSet<?> first = fill(aggregator, window, events.subList(0, split));
      TileSet<?> resumed = TileSetCodec.decode(aggregator, window, TileSetCodec.encode(first));
      TileSetCodec.encode(resumed);
      for (OracleEvent event : events.subList(split, events.size())) {
        resumed.add(event.value(), event.eventTime(), event.ingestTime(), event.sequence());
      }
      TileSet<?> uncached = restoreWithoutPayloads(resumed);
      assertThat(TileSetCodec.encode(resumed)).as("seed " + Long.toHexString(seed) + " " + aggregation)
          .isEqualTo(TileSetCodec.encode(uncached));
      long t = events.stream().mapToLong(OracleEvent::eventTime).max().orElse(0) + 1;
      assertThat(resumed.evaluate(t)).isEqualTo(whole.evaluate(t));
    }
  }

  @Test
  void evaluatesLikeTheOracleFromTheHeadOn() {
    for (int trial = 0; trial < 800; trial++) {
      long seed = 0x711E5L + trial;
      SplittableRandom random = new SplittableRandom(seed);
      ValueType type = ValueType.values()[random.nextInt(3)];
      Aggregation aggregation = TestData.aggregation(random, type);
      Window window = TestData.window(random, 3_000);
      Aggregator<?, ?> aggregator = Aggregators.create(aggregation, type);
      List<OracleEvent> events = TestData.events(random, type, random.nextInt(80), 0.2, 3_000, window.hopMillis());
      List<OracleEvent> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(seed));
      TileSet<?> tiles = fill(aggregator, window, shuffled);
      if (random.nextBoolean()) {
        tiles = TileSetCodec.decode(aggregator, window, TileSetCodec.encode(tiles));
      }
      long newest = events.stream().mapToLong(OracleEvent::eventTime).max().orElse(0);
      long headStart = Math.floorDiv(newest, window.hopMillis()) * window.hopMillis();
      for (int q = 0; q < 10; q++) {
        long t = headStart + random.nextLong(-1, 2 * window.hopMillis() + 3_000);
        if (q == 0) {
          t = newest;
        } else if (q == 1) {
          t = newest + 1;
        }
        if (t < headStart) {
          continue;
        }
        Object expected = NaiveOracle.evaluate(aggregation, type, window, PointInTimeMode.EVENT_TIME, events, t);
        assertMatchesOracle(aggregation, expected, tiles.evaluate(t),
            "seed " + Long.toHexString(seed) + " " + aggregation + " " + window + " at " + t);
      }
    }
  }

  /**
   * Events dated after the times read (a producer's clock ahead of the server's) leave raw events in
   * several tiles: with the raw floor raised in steps while events keep arriving in any order, and an
   * encode/decode in between, every evaluation at or after the floor equals the oracle's.
   */
  @Test
  void evaluatesLikeTheOracleAtEveryTimeFromTheRawFloorOn() {
    for (int trial = 0; trial < 800; trial++) {
      long seed = 0xF1003L + trial;
      SplittableRandom random = new SplittableRandom(seed);
      ValueType type = ValueType.values()[random.nextInt(3)];
      Aggregation aggregation = TestData.aggregation(random, type);
      Window window = TestData.window(random, 3_000);
      Aggregator<?, ?> aggregator = Aggregators.create(aggregation, type);
      List<OracleEvent> events = TestData.events(random, type, 1 + random.nextInt(80), 0.2, 3_000, window.hopMillis());
      List<OracleEvent> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(seed));
      long oldest = events.stream().mapToLong(OracleEvent::eventTime).min().orElseThrow();
      long newest = events.stream().mapToLong(OracleEvent::eventTime).max().orElseThrow();
      long floor = oldest + random.nextLong(newest - oldest + 1);
      long earlierFloor = oldest + random.nextLong(floor - oldest + 1);
      int split = random.nextInt(shuffled.size() + 1);
      TileSet<?> tiles = fill(aggregator, window, shuffled.subList(0, split));
      tiles.retainRawFrom(earlierFloor);
      if (random.nextBoolean()) {
        tiles = TileSetCodec.decode(aggregator, window, TileSetCodec.encode(tiles));
      }
      for (OracleEvent event : shuffled.subList(split, shuffled.size())) {
        tiles.add(event.value(), event.eventTime(), event.ingestTime(), event.sequence());
      }
      tiles.retainRawFrom(floor);
      if (random.nextBoolean()) {
        tiles = TileSetCodec.decode(aggregator, window, TileSetCodec.encode(tiles));
      }
      for (int q = 0; q < 12; q++) {
        long t = q == 0 ? floor : floor + random.nextLong(newest - floor + 2 * window.hopMillis() + 2);
        Object expected = NaiveOracle.evaluate(aggregation, type, window, PointInTimeMode.EVENT_TIME, events, t);
        assertMatchesOracle(aggregation, expected, tiles.evaluate(t),
            "seed " + Long.toHexString(seed) + " " + aggregation + " " + window + " floor " + floor + " at " + t);
      }
    }
  }

  @Test
  void raisingTheRawFloorDropsTheRawEventsOfEarlierTilesOnly() {
    Window window = Window.sliding(Duration.ofMinutes(10), Duration.ofMinutes(1));
    List<OracleEvent> events = new ArrayList<>();
    for (int minute = 0; minute < 6; minute++) {
      events.add(new OracleEvent(minute * 60_000L + 5, 0, minute, null));
      events.add(new OracleEvent(minute * 60_000L + 50_000, 0, 100 + minute, null));
    }
    TileSet<?> tiles = fill(Aggregators.create(Aggregation.count(), null), window, events);
    assertThat(tiles.rawEventCount()).isEqualTo(12);
    tiles.retainRawFrom(3 * 60_000L + 10);
    assertThat(tiles.rawEventCount()).isEqualTo(6);
    tiles.retainRawFrom(60_000L);
    assertThat(tiles.rawEventCount()).as("a lower floor changes nothing").isEqualTo(6);
    tiles.add(null, 60_000L + 7, 0, 200); // below the floor: partial only
    tiles.add(null, 7 * 60_000L + 7, 0, 201); // a new tile above it keeps its raw events
    assertThat(tiles.rawEventCount()).isEqualTo(7);
    assertThat(tiles.evaluate(3 * 60_000L + 10)).isEqualTo(8L);
    assertThat(tiles.evaluate(7 * 60_000L + 7)).isEqualTo(13L);
    assertThat(tiles.evaluate(7 * 60_000L + 8)).isEqualTo(14L);
  }

  @Test
  void expiringTilesKeepLaterValuesAndDropsWhatNoWindowSees() {
    Window window = Window.sliding(Duration.ofMinutes(10), Duration.ofMinutes(1));
    Aggregator<?, ?> sum = Aggregators.create(Aggregation.sum("amount"), ValueType.DOUBLE);
    List<OracleEvent> events = new ArrayList<>();
    for (int minute = 0; minute < 60; minute++) {
      events.add(new OracleEvent(minute * 60_000L + 5, minute * 60_000L + 6, minute, minute + 0.25));
    }
    TileSet<?> tiles = fill(sum, window, events);
    long now = 60 * 60_000L;
    Object before = tiles.evaluate(now);
    assertThat(tiles.expireBefore(now)).isEqualTo(50);
    assertThat(tiles.tileCount()).isEqualTo(10);
    assertThat(tiles.evaluate(now)).isEqualTo(before).isEqualTo(
        NaiveOracle.evaluate(Aggregation.sum("amount"), ValueType.DOUBLE, window, PointInTimeMode.EVENT_TIME, events, now));
  }

  @Test
  void refusesToGuessInsideAnOlderTileWithLaterEvents() {
    Window window = Window.sliding(Duration.ofMinutes(10), Duration.ofMinutes(1));
    TileSet<?> tiles = fill(Aggregators.create(Aggregation.count(), null), window, List.of(
        new OracleEvent(60_000, 60_000, 1, null),
        new OracleEvent(90_000, 90_000, 2, null),
        new OracleEvent(200_000, 200_000, 3, null)));
    tiles.retainRawFrom(180_000);
    assertThat(tiles.evaluate(200_001)).isEqualTo(3L);
    assertThat(tiles.evaluate(120_000)).isEqualTo(2L);
    assertThatThrownBy(() -> tiles.evaluate(70_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot evaluate count() at 70000: tile 1 holds events at or after it");
  }

  @Test
  void countCountsNullValuesOnce() {
    Window window = Window.sliding(Duration.ofMinutes(5));
    TileSet<?> tiles = fill(Aggregators.create(Aggregation.count(), null), window, List.of(
        new OracleEvent(1_000, 1_000, 1, null), new OracleEvent(2_000, 2_000, 2, 5L)));
    assertThat(tiles.evaluate(3_000)).isEqualTo(2L);
    TileSet<?> nonNull = fill(Aggregators.create(Aggregation.countNonNull("v"), ValueType.LONG), window, List.of(
        new OracleEvent(1_000, 1_000, 1, null), new OracleEvent(2_000, 2_000, 2, 5L)));
    assertThat(nonNull.evaluate(3_000)).isEqualTo(1L);
  }

  private static <P> TileSet<P> restoreWithoutPayloads(TileSet<P> tiles) {
    return TileSetState.of(tiles).restore(tiles.aggregator(), tiles.window());
  }

  private static <P> TileSet<P> fill(Aggregator<P, ?> aggregator, Window window, List<OracleEvent> events) {
    TileSet<P> tiles = new TileSet<>(aggregator, window);
    for (OracleEvent event : events) {
      tiles.add(event.value(), event.eventTime(), event.ingestTime(), event.sequence());
    }
    return tiles;
  }
}
