package dev.lockstep.engine.sweep;

import dev.lockstep.engine.aggregate.Aggregator;
import java.util.Arrays;

/**
 * The state of one windowed aggregation while a sweep moves forward in time: partial aggregates per
 * hop-aligned tile, and what it takes to answer "the aggregate of every live tile" cheaply.
 * (Invertible aggregators need none of this; see {@link FeatureSweep}.)
 *
 * <p>Algorithm: the two-stack queue. Tiles are kept sorted by hop index in {@code [first, size)}.
 * Queries only ever move the window's tail forward, so tiles leave in FIFO order. Tiles
 * {@code [first, split)} form the front, each with the aggregate of itself and every later front
 * tile (its suffix); tiles {@code [split, size)} form the back, whose aggregate is kept running. A
 * query merges the front's first suffix with the back. When the front is empty and a tile must
 * leave, all back tiles but the newest move to the front and their suffixes are computed once.
 * Every tile is thus merged O(1) times amortized. Untiled (lifetime windows): nothing ever leaves,
 * one running aggregate suffices.
 *
 * An event late in the sweep's order (possible in {@code AS_OF_INGEST} mode, where events become
 * visible by ingest time) may land in an older tile, even in the front: it is then added to that
 * tile and to every front suffix that covers it. Events older than the last eviction are ignored:
 * no later query can see them.
 *
 * <p>Adding is split in two steps to stay type-specialized without boxing: {@link #targets(long)}
 * names the partials an event of a given tile must be added to, and the caller adds the typed value
 * to each.
 */
final class SlidingAggregate<P> {
  private final Aggregator<P, ?> aggregator;
  private final boolean untiled;

  private long[] hops = new long[8];
  private Object[] tiles = new Object[8];
  private Object[] suffixes = new Object[8];
  private int first;
  private int split;
  private int size;
  /** Untiled: the total of all events; otherwise the back's aggregate. */
  private P running;
  private long evictedBelow = Long.MIN_VALUE;

  /** Filled by {@link #targets(long)}. */
  Object[] targets;

  SlidingAggregate(Aggregator<P, ?> aggregator, boolean untiled) {
    this.aggregator = aggregator;
    this.untiled = untiled;
    this.targets = new Object[16];
    reset();
  }

  /** Forgets every event; ready for the next entity. */
  void reset() {
    Arrays.fill(tiles, first, size, null);
    Arrays.fill(suffixes, first, size, null);
    first = 0;
    split = 0;
    size = 0;
    running = aggregator.init();
    evictedBelow = Long.MIN_VALUE;
  }

  /**
   * Fills {@link #targets} with the partials an event of tile {@code hop} must be added to.
   *
   * @return how many targets; 0 when the tile was already evicted
   */
  int targets(long hop) {
    if (untiled) {
      targets[0] = running;
      return 1;
    }
    if (hop < evictedBelow) {
      return 0;
    }
    int position;
    if (size > first && hops[size - 1] == hop) {
      position = size - 1;
    } else if (size == first || hops[size - 1] < hop) {
      position = insertTile(size, hop);
    } else {
      position = Arrays.binarySearch(hops, first, size, hop);
      if (position < 0) {
        position = insertTile(-position - 1, hop);
      }
    }
    if (position >= split) {
      targets[0] = tiles[position];
      targets[1] = running;
      return 2;
    }
    if (targets.length < position - first + 2) {
      targets = new Object[(position - first + 2) * 2];
    }
    targets[0] = tiles[position];
    int count = 1;
    for (int j = first; j <= position; j++) {
      targets[count++] = suffixes[j];
    }
    return count;
  }

  /** Evicts every tile whose hop index is below {@code hop}. */
  void evictBelow(long hop) {
    if (untiled || hop <= evictedBelow) {
      return;
    }
    evictedBelow = hop;
    while (first < size && hops[first] < hop) {
      if (first == split && !flip()) {
        reset();
        evictedBelow = hop;
        return;
      }
      tiles[first] = null;
      suffixes[first] = null;
      first++;
    }
    if (first == size) {
      reset();
      evictedBelow = hop;
    }
  }

  /** The aggregate of every live event; callers must not mutate it. */
  P result() {
    if (untiled || first == split) {
      return running;
    }
    P merged = aggregator.copy(suffix(first));
    aggregator.merge(merged, running);
    return merged;
  }

  /**
   * Moves all back tiles but the newest to the front and computes their suffixes.
   *
   * @return false when there was nothing to move (the back holds one tile)
   */
  private boolean flip() {
    int end = size - 1;
    if (split >= end) {
      return false;
    }
    suffixes[end - 1] = aggregator.copy(tile(end - 1));
    for (int i = end - 2; i >= split; i--) {
      P suffix = aggregator.copy(tile(i));
      aggregator.merge(suffix, suffix(i + 1));
      suffixes[i] = suffix;
    }
    split = end;
    running = aggregator.copy(tile(end));
    return true;
  }

  private int insertTile(int position, long hop) {
    if (size == hops.length) {
      position -= first;
      makeRoom();
      position += first;
    }
    int tail = size - position;
    if (tail > 0) {
      System.arraycopy(hops, position, hops, position + 1, tail);
      System.arraycopy(tiles, position, tiles, position + 1, tail);
      System.arraycopy(suffixes, position, suffixes, position + 1, tail);
    }
    hops[position] = hop;
    tiles[position] = aggregator.init();
    suffixes[position] = null;
    size++;
    if (position < split) {
      // A late event's new tile inside the front: its suffix starts as the next front suffix.
      split++;
      suffixes[position] = position + 1 < split ? aggregator.copy(suffix(position + 1)) : aggregator.init();
    }
    return position;
  }

  /**
   * Moves live tiles to the start of the arrays when at least half the room is free, else doubles
   * the arrays, so each tile is moved O(1) times amortized.
   */
  private void makeRoom() {
    if (first >= hops.length / 2) {
      int live = size - first;
      System.arraycopy(hops, first, hops, 0, live);
      System.arraycopy(tiles, first, tiles, 0, live);
      System.arraycopy(suffixes, first, suffixes, 0, live);
      Arrays.fill(tiles, live, size, null);
      Arrays.fill(suffixes, live, size, null);
      split -= first;
      size = live;
      first = 0;
    }
    if (size == hops.length) {
      hops = Arrays.copyOf(hops, size * 2);
      tiles = Arrays.copyOf(tiles, size * 2);
      suffixes = Arrays.copyOf(suffixes, size * 2);
    }
  }

  @SuppressWarnings("unchecked")
  private P tile(int position) {
    return (P) tiles[position];
  }

  @SuppressWarnings("unchecked")
  private P suffix(int position) {
    return (P) suffixes[position];
  }
}
