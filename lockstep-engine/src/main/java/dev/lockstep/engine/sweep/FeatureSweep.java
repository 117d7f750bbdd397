package dev.lockstep.engine.sweep;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.IndexSort;
import java.util.List;

/**
 * The sweep of one state over one entity: adds events in visibility order, expires them as the
 * window's tail passes and, at every query time, finishes the state once per feature that shares it
 * (for example sum, mean and variance of one column over one window).
 *
 * <p>Two strategies, chosen by the aggregator:
 *
 * <ul>
 *   <li><b>Invertible</b> (counts and exact sums): one running partial. Each visible event is added
 *       to it once; when the window's hop-aligned tail {@code floor_H(t − W)} passes an added event,
 *       that event is removed again. Because the state is exact, the result equals aggregating the
 *       window's events afresh, bit for bit, with no per-tile partials at all.
 *   <li><b>Selective</b> (min, max, first, last) when events are visited in event-time order
 *       ({@code EVENT_TIME}): a monotonic deque of row indices. A new row drops every older row it
 *       beats, since that row leaves the window first and can never be the answer again; the
 *       window's answer is the deque's head. No partials, O(1) per event amortized.
 *   <li><b>Others</b>: hop-aligned tiles in a two-stack queue ({@link SlidingAggregate}).
 * </ul>
 *
 * Lifetime windows never expire anything, so both reduce to one running partial.
 */
final class FeatureSweep<P> {
  private final Aggregator<P, ?> aggregator;
  private final Aggregator<P, ?>[] finishers;
  private final int[] outputs;
  private final int column;
  private final ValueType type;
  private final long size;
  private final long hop;
  private final boolean lifetime;
  private final boolean invertible;
  private final SlidingAggregate<P> tiles;
  private final Object[] runningTarget = new Object[1];
  private final boolean selective;
  private int[] deque = new int[16];

  /**
   * @param aggregator keeps the state
   * @param finishers finish the state, one per feature
   * @param outputs the feature index each finisher writes
   * @param column the input column, or -1 for {@code count}
   */
  @SuppressWarnings("unchecked")
  FeatureSweep(Aggregator<P, ?> aggregator, List<Aggregator<P, ?>> finishers, int[] outputs, int column,
      ValueType type, Window window) {
    this.aggregator = aggregator;
    this.finishers = finishers.toArray(new Aggregator[0]);
    this.outputs = outputs.clone();
    this.column = column;
    this.type = type;
    this.size = window.sizeMillis();
    this.hop = window.hopMillis();
    this.lifetime = window.isLifetime();
    this.invertible = aggregator.invertible() && !lifetime;
    this.tiles = invertible ? null : new SlidingAggregate<>(aggregator, lifetime);
    this.selective = !lifetime && column >= 0 && aggregator.selective();
  }

  /**
   * Evaluates the features at every query time.
   *
   * @param events the entity's events, sorted by (eventTime, ingestTime, sequence)
   * @param order rows in the order they become visible, or null for row order
   * @param visibleFrom per row, the time after which it is visible (it is visible at {@code t} iff
   *     {@code visibleFrom[row] < t}); non-decreasing along {@code order}
   * @param times the query times
   * @param queryOrder query indices sorted by time
   * @param values receives the value of feature {@code f} at query {@code q} at {@code values[f][q]}
   */
  void run(EventBlock events, int[] order, long[] visibleFrom, long[] times, int[] queryOrder, Object[][] values) {
    if (invertible) {
      runInvertible(events, order, visibleFrom, times, queryOrder, values);
      return;
    }
    if (selective && order == null) {
      runSelective(events, times, queryOrder, values);
      return;
    }
    tiles.reset();
    int eventCount = events.size();
    int next = 0;
    long[] eventTimes = events.eventTimes();
    for (int query : queryOrder) {
      long t = times[query];
      for (; next < eventCount; next++) {
        int row = order == null ? next : order[next];
        if (visibleFrom[row] >= t) {
          break;
        }
        if (column < 0 || !events.nulls(column)[row]) {
          int count = tiles.targets(Math.floorDiv(eventTimes[row], hop));
          add(events, row, tiles.targets, count);
        }
      }
      if (!lifetime) {
        tiles.evictBelow(Math.floorDiv(t - size, hop));
      }
      finish(tiles.result(), query, values);
    }
  }

  private void runInvertible(EventBlock events, int[] order, long[] visibleFrom, long[] times, int[] queryOrder,
      Object[][] values) {
    P running = aggregator.init();
    runningTarget[0] = running;
    int eventCount = events.size();
    long[] eventTimes = events.eventTimes();
    boolean[] nulls = column < 0 ? null : events.nulls(column);
    int next = 0;
    int expired = 0; // rows (in row order, which is event-time order) below the tail so far
    long tail = Long.MIN_VALUE;
    for (int query : queryOrder) {
      long t = times[query];
      for (; next < eventCount; next++) {
        int row = order == null ? next : order[next];
        if (visibleFrom[row] >= t) {
          break;
        }
        // An event already below a past tail is seen by no later query either.
        if (eventTimes[row] >= tail && (nulls == null || !nulls[row])) {
          add(events, row, runningTarget, 1);
        }
      }
      tail = Math.floorDiv(t - size, hop) * hop;
      for (; expired < eventCount && eventTimes[expired] < tail; expired++) {
        // Remove exactly the events that were added: those visible before t. (One skipped as too
        // old when it became visible lies below an earlier tail, so this pointer passed it then.)
        if (visibleFrom[expired] < t && (nulls == null || !nulls[expired])) {
          remove(events, expired, running);
        }
      }
      finish(running, query, values);
    }
    runningTarget[0] = null;
  }

  /** Event-time order only: rows are visited, and leave the window, in row order. */
  private void runSelective(EventBlock events, long[] times, int[] queryOrder, Object[][] values) {
    IndexSort.RowComparator order = aggregator.selection(events, column);
    int eventCount = events.size();
    if (deque.length < eventCount) {
      deque = new int[Math.max(eventCount, deque.length * 2)];
    }
    long[] eventTimes = events.eventTimes();
    boolean[] nulls = events.nulls(column);
    int head = 0;
    int tail = 0;
    int next = 0;
    for (int query : queryOrder) {
      long t = times[query];
      for (; next < eventCount && eventTimes[next] < t; next++) {
        if (nulls[next]) {
          continue;
        }
        while (tail > head && order.compare(deque[tail - 1], next) <= 0) {
          tail--;
        }
        deque[tail++] = next;
      }
      long windowStart = Math.floorDiv(t - size, hop) * hop;
      while (head < tail && eventTimes[deque[head]] < windowStart) {
        head++;
      }
      P answer = aggregator.init();
      if (head < tail) {
        runningTarget[0] = answer;
        add(events, deque[head], runningTarget, 1);
        runningTarget[0] = null;
      }
      finish(answer, query, values);
    }
  }

  private void finish(P state, int query, Object[][] values) {
    for (int i = 0; i < outputs.length; i++) {
      values[outputs[i]][query] = finishers[i].finish(state);
    }
  }

  @SuppressWarnings("unchecked")
  private void add(EventBlock events, int row, Object[] targets, int count) {
    long eventTime = events.eventTimes()[row];
    long ingestTime = events.ingestTimes()[row];
    long sequence = events.sequences()[row];
    if (column < 0) {
      for (int i = 0; i < count; i++) {
        aggregator.addEvent((P) targets[i], eventTime, ingestTime, sequence);
      }
      return;
    }
    switch (type) {
      case LONG -> {
        long value = events.longs(column)[row];
        for (int i = 0; i < count; i++) {
          aggregator.addLong((P) targets[i], value, eventTime, ingestTime, sequence);
        }
      }
      case DOUBLE -> {
        double value = events.doubles(column)[row];
        for (int i = 0; i < count; i++) {
          aggregator.addDouble((P) targets[i], value, eventTime, ingestTime, sequence);
        }
      }
      case STRING -> {
        String value = events.strings(column)[row];
        for (int i = 0; i < count; i++) {
          aggregator.addString((P) targets[i], value, eventTime, ingestTime, sequence);
        }
      }
    }
  }

  private void remove(EventBlock events, int row, P running) {
    long eventTime = events.eventTimes()[row];
    long ingestTime = events.ingestTimes()[row];
    long sequence = events.sequences()[row];
    if (column < 0) {
      aggregator.removeEvent(running, eventTime, ingestTime, sequence);
      return;
    }
    switch (type) {
      case LONG -> aggregator.removeLong(running, events.longs(column)[row], eventTime, ingestTime, sequence);
      case DOUBLE -> aggregator.removeDouble(running, events.doubles(column)[row], eventTime, ingestTime, sequence);
      case STRING -> aggregator.removeString(running, events.strings(column)[row], eventTime, ingestTime, sequence);
    }
  }
}
