package dev.lockstep.engine.sweep;

import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.aggregate.Aggregators;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.EventSchema;
import dev.lockstep.engine.event.IndexSort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * The point-in-time kernel: for one entity, evaluates every feature at every query time in one
 * forward pass, by the rules of docs/architecture.md "Semantics".
 *
 * <p>A feature {@code A} over window {@code W}/{@code H} at query time {@code t} aggregates the
 * entity's events with {@code floor_H(t − W) ≤ eventTime < t} (lifetime: {@code eventTime < t}) that
 * are visible at {@code t}: in {@link PointInTimeMode#EVENT_TIME} every such event, in
 * {@link PointInTimeMode#AS_OF_INGEST} only those with {@code ingestTime < t} too. Each event is
 * added once to its tile and expires with the tile; queries are answered in time order from the
 * tiles (see {@code SlidingAggregate}). Cost: O((events + queries) × features), amortized.
 *
 * <p>An instance holds scratch state: use one per thread.
 */
public final class PointInTimeSweep {
  private final PointInTimeMode mode;
  private final List<String> names;
  private final List<FeatureSweep<?>> features;
  private long[] visibleFrom = new long[0];

  private PointInTimeSweep(PointInTimeMode mode, List<String> names, List<FeatureSweep<?>> features) {
    this.mode = mode;
    this.names = List.copyOf(names);
    this.features = features;
  }

  /**
   * Binds features to the columns of {@code schema}.
   *
   * @throws InvalidDefinitionException for a duplicate feature name, an unknown column or a column
   *     type the aggregation does not accept
   */
  public static PointInTimeSweep bind(EventSchema schema, List<FeatureSpec> specs, PointInTimeMode mode) {
    List<String> names = new ArrayList<>();
    List<BoundFeature> bound = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (FeatureSpec spec : specs) {
      if (!seen.add(spec.name())) {
        throw new InvalidDefinitionException(
            "Cannot bind feature '" + spec.name() + "': the name is used twice (rename one)");
      }
      names.add(spec.name());
      bound.add(bindOne(schema, spec));
    }
    return new PointInTimeSweep(mode, names, share(bound));
  }

  /** A feature bound to its column; {@code column} is -1 for {@code count}. */
  private record BoundFeature(Aggregator<?, ?> aggregator, int column, ValueType type, Window window) {
    /** Features with equal keys can share one state. */
    List<Object> stateKey() {
      return List.of(aggregator.stateAggregator(), column, window);
    }
  }

  /** Groups features that can share a state; a group of one keeps its own aggregator. */
  private static List<FeatureSweep<?>> share(List<BoundFeature> bound) {
    Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
    for (int f = 0; f < bound.size(); f++) {
      groups.computeIfAbsent(bound.get(f).stateKey(), key -> new ArrayList<>()).add(f);
    }
    List<FeatureSweep<?>> sweeps = new ArrayList<>();
    for (List<Integer> group : groups.values()) {
      BoundFeature first = bound.get(group.get(0));
      Aggregator<?, ?> state = group.size() == 1 ? first.aggregator() : first.aggregator().stateAggregator();
      sweeps.add(sweep(state, bound, group));
    }
    return sweeps;
  }

  @SuppressWarnings("unchecked")
  private static <P> FeatureSweep<P> sweep(Aggregator<P, ?> state, List<BoundFeature> bound, List<Integer> group) {
    List<Aggregator<P, ?>> finishers = new ArrayList<>();
    int[] outputs = new int[group.size()];
    for (int i = 0; i < group.size(); i++) {
      finishers.add((Aggregator<P, ?>) bound.get(group.get(i)).aggregator());
      outputs[i] = group.get(i);
    }
    BoundFeature first = bound.get(group.get(0));
    return new FeatureSweep<>(state, finishers, outputs, first.column(), first.type(), first.window());
  }

  private static BoundFeature bindOne(EventSchema schema, FeatureSpec spec) {
    if (spec.aggregation().function() == AggregationFunction.COUNT) {
      return new BoundFeature(Aggregators.create(spec.aggregation(), null), -1, null, spec.window());
    }
    int column;
    try {
      column = schema.position(spec.aggregation().column());
    } catch (InvalidDefinitionException unknown) {
      throw new InvalidDefinitionException("Cannot bind feature '" + spec.name() + "' ("
          + spec.aggregation() + "): column '" + spec.aggregation().column()
          + "' does not exist (columns: " + String.join(", ", schema.names()) + ")");
    }
    ValueType type = schema.type(column);
    try {
      return new BoundFeature(Aggregators.create(spec.aggregation(), type), column, type, spec.window());
    } catch (InvalidDefinitionException wrongType) {
      throw new InvalidDefinitionException(
          "Cannot bind feature '" + spec.name() + "': " + wrongType.getMessage().replaceFirst("^Cannot bind ", ""));
    }
  }

  public List<String> featureNames() {
    return names;
  }

  public PointInTimeMode mode() {
    return mode;
  }

  /**
   * Evaluates every feature at every query time for one entity.
   *
   * @param events the entity's events; sorted in place by (eventTime, ingestTime, sequence) first
   *     if they are not
   * @param queryTimes epoch millis, in any order, duplicates allowed
   * @return {@code values[feature][query]}, each a Long, Double, String, List or null
   */
  public Object[][] evaluate(EventBlock events, long[] queryTimes) {
    Object[][] values = new Object[names.size()][queryTimes.length];
    evaluate(events, queryTimes, values);
    return values;
  }

  /** As {@link #evaluate(EventBlock, long[])}, into {@code values[feature][query]}. */
  public void evaluate(EventBlock events, long[] queryTimes, Object[][] values) {
    events.sort();
    int[] rowOrder = null;
    long[] visible = events.eventTimes();
    if (mode == PointInTimeMode.AS_OF_INGEST) {
      int size = events.size();
      if (visibleFrom.length < size) {
        visibleFrom = new long[Math.max(size, visibleFrom.length * 2)];
      }
      long[] eventTimes = events.eventTimes();
      long[] ingestTimes = events.ingestTimes();
      for (int row = 0; row < size; row++) {
        visibleFrom[row] = Math.max(eventTimes[row], ingestTimes[row]);
      }
      rowOrder = IndexSort.identity(size);
      IndexSort.sortByKey(rowOrder, visibleFrom);
      visible = visibleFrom;
    }
    int[] queryOrder = IndexSort.identity(queryTimes.length);
    IndexSort.sortByKey(queryOrder, queryTimes);
    for (FeatureSweep<?> feature : features) {
      feature.run(events, rowOrder, visible, queryTimes, queryOrder, values);
    }
  }
}
