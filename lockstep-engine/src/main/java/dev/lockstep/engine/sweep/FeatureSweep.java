package dev.lockstep.engine.sweep;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.event.EventBlock;

/**
 * The sweep of one bound feature over one entity: adds events in visibility order, evicts tiles as
 * the window's tail passes them and finishes a value at every query time.
 */
final class FeatureSweep<P> {
  private final Aggregator<P, ?> aggregator;
  private final int column;
  private final ValueType type;
  private final long size;
  private final long hop;
  private final boolean lifetime;
  private final SlidingAggregate<P> state;

  FeatureSweep(Aggregator<P, ?> aggregator, int column, ValueType type, Window window) {
    this.aggregator = aggregator;
    this.column = column;
    this.type = type;
    this.size = window.sizeMillis();
    this.hop = window.hopMillis();
    this.lifetime = window.isLifetime();
    this.state = new SlidingAggregate<>(aggregator, lifetime);
  }

  /**
   * Evaluates the feature at every query time.
   *
   * @param events the entity's events, sorted by (eventTime, ingestTime, sequence)
   * @param order rows in the order they become visible, or null for row order
   * @param visibleFrom per row, the time after which it is visible (it is visible at {@code t} iff
   *     {@code visibleFrom[row] < t}); non-decreasing along {@code order}
   * @param times the query times
   * @param queryOrder query indices sorted by time
   * @param out receives the value of query {@code q} at {@code out[q]}
   */
  void run(EventBlock events, int[] order, long[] visibleFrom, long[] times, int[] queryOrder, Object[] out) {
    state.reset();
    int eventCount = events.size();
    int next = 0;
    for (int query : queryOrder) {
      long t = times[query];
      while (next < eventCount) {
        int row = order == null ? next : order[next];
        if (visibleFrom[row] >= t) {
          break;
        }
        add(events, row);
        next++;
      }
      if (!lifetime) {
        state.evictBelow(Math.floorDiv(t - size, hop));
      }
      out[query] = aggregator.finish(state.result());
    }
  }

  @SuppressWarnings("unchecked")
  private void add(EventBlock events, int row) {
    if (column >= 0 && events.nulls(column)[row]) {
      return;
    }
    long eventTime = events.eventTimes()[row];
    long ingestTime = events.ingestTimes()[row];
    long sequence = events.sequences()[row];
    int count = state.targets(Math.floorDiv(eventTime, hop));
    Object[] targets = state.targets;
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
}
