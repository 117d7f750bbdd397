package dev.lockstep.engine.sweep;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.EventSchema;
import dev.lockstep.engine.event.IndexSort;
import java.util.ArrayList;
import java.util.List;

/**
 * Latest-value features (docs/architecture.md, "Semantics"): at query time {@code t}, the value of a column in the entity's
 * row with the greatest {@code (eventTime, ingestTime, sequence)} among rows with {@code eventTime <
 * t} (and, in {@link PointInTimeMode#AS_OF_INGEST}, {@code ingestTime < t}); null if there is no
 * such row or if {@code t − eventTime > ttl}. The row's value is returned even when it is null: a
 * later null overrides an earlier value, unlike {@code last}, which skips nulls.
 *
 * <p>Algorithm: rows become visible at {@code max(eventTime, ingestTime)} in AS_OF_INGEST mode (at
 * {@code eventTime} otherwise); with queries in time order, the latest visible row only moves
 * forward in the block's sort order, so one pass over rows and queries finds it: O(rows log rows +
 * queries log queries).
 *
 * <p>An instance holds scratch state: use one per thread.
 */
public final class LatestValueSweep {
  private final PointInTimeMode mode;
  private final List<String> names;
  private final int[] columns;
  private final long[] ttlMillis;
  private long[] visibleFrom = new long[0];

  private LatestValueSweep(PointInTimeMode mode, List<String> names, int[] columns, long[] ttlMillis) {
    this.mode = mode;
    this.names = List.copyOf(names);
    this.columns = columns;
    this.ttlMillis = ttlMillis;
  }

  /**
   * Binds latest-value features to the columns of {@code schema}.
   *
   * @throws InvalidDefinitionException for an unknown column or a TTL that is not positive
   */
  public static LatestValueSweep bind(EventSchema schema, List<LatestSpec> specs, PointInTimeMode mode) {
    List<String> names = new ArrayList<>();
    int[] columns = new int[specs.size()];
    long[] ttls = new long[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      LatestSpec spec = specs.get(i);
      names.add(spec.name());
      columns[i] = schema.position(spec.column());
      ttls[i] = spec.ttlMillis();
    }
    return new LatestValueSweep(mode, names, columns, ttls);
  }

  /** The feature names, in output order. */
  public List<String> featureNames() {
    return names;
  }

  /**
   * Evaluates every latest-value feature at every query time for one entity, into {@code
   * values[offset + feature][query]}.
   *
   * @param events the entity's events; sorted in place by (eventTime, ingestTime, sequence) first
   *     if they are not
   * @param queryTimes epoch millis, in any order
   */
  public void evaluate(EventBlock events, long[] queryTimes, Object[][] values, int offset) {
    events.sort();
    int size = events.size();
    long[] eventTimes = events.eventTimes();
    int[] rowOrder = IndexSort.identity(size);
    long[] visible = eventTimes;
    if (mode == PointInTimeMode.AS_OF_INGEST) {
      if (visibleFrom.length < size) {
        visibleFrom = new long[Math.max(size, visibleFrom.length * 2)];
      }
      long[] ingestTimes = events.ingestTimes();
      for (int row = 0; row < size; row++) {
        visibleFrom[row] = Math.max(eventTimes[row], ingestTimes[row]);
      }
      IndexSort.sortByKey(rowOrder, visibleFrom);
      visible = visibleFrom;
    }
    int[] queryOrder = IndexSort.identity(queryTimes.length);
    IndexSort.sortByKey(queryOrder, queryTimes);
    int next = 0;
    int latest = -1;
    for (int query : queryOrder) {
      long t = queryTimes[query];
      while (next < size && visible[rowOrder[next]] < t) {
        // rows are sorted by (eventTime, ingestTime, sequence), so a higher row index is later
        latest = Math.max(latest, rowOrder[next]);
        next++;
      }
      for (int feature = 0; feature < columns.length; feature++) {
        Object value = null;
        if (latest >= 0 && (ttlMillis[feature] < 0 || t - eventTimes[latest] <= ttlMillis[feature])) {
          value = events.value(columns[feature], latest);
        }
        values[offset + feature][query] = value;
      }
    }
  }
}
