package dev.lockstep.engine.sweep;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.event.EventBlock;
import java.util.List;

/**
 * The sweep of one state over one entity: adds events in visibility order, evicts tiles as the
 * window's tail passes them and, at every query time, finishes the state once per feature that
 * shares it (for example sum, mean and variance of one column over one window).
 */
final class FeatureSweep<P> {
  private final Aggregator<P, ?> aggregator;
  private final List<Aggregator<P, ?>> finishers;
  private final int[] outputs;
  private final int column;
  private final ValueType type;
  private final long size;
  private final long hop;
  private final boolean lifetime;
  private final SlidingAggregate<P> state;

  /**
   * @param aggregator keeps the state
   * @param finishers finish the state, one per feature
   * @param outputs the feature index each finisher writes
   */
  FeatureSweep(Aggregator<P, ?> aggregator, List<Aggregator<P, ?>> finishers, int[] outputs, int column,
      ValueType type, Window window) {
    this.aggregator = aggregator;
    this.finishers = List.copyOf(finishers);
    this.outputs = outputs.clone();
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
   * @param values receives the value of feature {@code f} at query {@code q} at {@code values[f][q]}
   */
  void run(EventBlock events, int[] order, long[] visibleFrom, long[] times, int[] queryOrder, Object[][] values) {
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
      P result = state.result();
      for (int i = 0; i < outputs.length; i++) {
        values[outputs[i]][query] = finishers.get(i).finish(result);
      }
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
