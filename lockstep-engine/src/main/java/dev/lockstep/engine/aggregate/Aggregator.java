package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.IndexSort;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One aggregation's algebra over a mutable partial aggregate {@code P} with result {@code R}:
 * {@code init}, {@code add} an input, {@code merge} two partials, {@code finish} into a result.
 *
 * <p>Contract, which every implementation is tested against:
 *
 * <ul>
 *   <li><b>Order independence.</b> Adding a multiset of events in any order, or splitting it into
 *       parts that are added separately and merged in any order, gives results with identical bits.
 *       Aggregations whose value depends on event order (first, last, first_k, last_k) carry the
 *       order key {@code (eventTime, ingestTime, sequence)} in the partial to make this hold.
 *   <li><b>Nulls.</b> Callers pass only non-null values to the typed {@code add} methods; an event
 *       whose input is null reaches only {@link #addEvent}, which only {@code count} uses.
 *   <li><b>Ownership.</b> {@code add}, {@code merge} and {@code subtract} mutate their first argument
 *       only. {@code finish}, {@code write} and {@code copy} never mutate the partial, and neither
 *       does {@code merge} or {@code subtract} mutate its second argument.
 *   <li><b>Sharing.</b> A partial returned by {@link #read} may be read by many threads at once —
 *       finished, written, copied, merged into other partials — with bit-identical results: none
 *       of those calls writes to it, not even to a cache or a lazily rebuilt field. This is what
 *       lets the online fetcher evaluate one decoded state from every serving thread.
 * </ul>
 *
 * <p>Only the typed {@code add} matching {@link #inputType()} is implemented; the others throw.
 * Instances are immutable and thread-safe; partials are not.
 *
 * @param <P> the partial aggregate
 * @param <R> the result (Long, Double, String or List)
 */
public interface Aggregator<P, R> {

  /** The aggregation this aggregator computes. */
  Aggregation aggregation();

  /** The type of the input column; null for {@code count}, which reads no column. */
  ValueType inputType();

  /** A new partial of the empty multiset. */
  P init();

  /** Adds one event regardless of its input value; only {@code count} does anything with it. */
  default void addEvent(P partial, long eventTime, long ingestTime, long sequence) {}

  default void addLong(P partial, long value, long eventTime, long ingestTime, long sequence) {
    throw wrongInput(ValueType.LONG);
  }

  default void addDouble(P partial, double value, long eventTime, long ingestTime, long sequence) {
    throw wrongInput(ValueType.DOUBLE);
  }

  default void addString(P partial, String value, long eventTime, long ingestTime, long sequence) {
    throw wrongInput(ValueType.STRING);
  }

  /** Adds everything {@code other} holds into {@code into}. */
  void merge(P into, P other);

  /** The result of the multiset {@code partial} holds; see {@link dev.lockstep.api.AggregationFunction} for empty results. */
  R finish(P partial);

  /** A deep copy that shares no mutable state with {@code partial}. */
  P copy(P partial);

  /**
   * Whether {@link #subtract} and the {@code remove} methods are supported. Invertible aggregators keep exact state (counts and
   * exact sums), so removing a part gives exactly the partial of what remains.
   */
  default boolean invertible() {
    return false;
  }

  /**
   * Removes {@code part}, which must have been merged into {@code from} before.
   *
   * @throws UnsupportedOperationException unless {@link #invertible()}
   */
  default void subtract(P from, P part) {
    throw new UnsupportedOperationException(aggregation() + " is not invertible");
  }

  /**
   * The aggregator whose partials this one can finish. Features whose state aggregators are equal
   * (same aggregation and input type) over the same window may share one state: the runtime keeps
   * the state aggregator's partials and finishes them with each feature's own aggregator. By default
   * an aggregator shares only with itself.
   */
  default Aggregator<?, ?> stateAggregator() {
    return this;
  }

  /**
   * Removes one event added before with the matching {@code add} (invertible aggregators only): the
   * partial becomes exactly what it would be had the event never been added. Runtimes use it to
   * expire single events from a running total without keeping a partial per tile.
   */
  default void removeEvent(P partial, long eventTime, long ingestTime, long sequence) {
    if (!invertible()) {
      throw new UnsupportedOperationException(aggregation() + " is not invertible");
    }
  }

  /** As {@link #removeEvent}, for a long value. */
  default void removeLong(P partial, long value, long eventTime, long ingestTime, long sequence) {
    throw new UnsupportedOperationException(aggregation() + " cannot remove a long value");
  }

  /** As {@link #removeEvent}, for a double value. */
  default void removeDouble(P partial, double value, long eventTime, long ingestTime, long sequence) {
    throw new UnsupportedOperationException(aggregation() + " cannot remove a double value");
  }

  /** As {@link #removeEvent}, for a string value. */
  default void removeString(P partial, String value, long eventTime, long ingestTime, long sequence) {
    throw new UnsupportedOperationException(aggregation() + " cannot remove a string value");
  }

  /**
   * Whether the result is always the value of one input event (min, max, first, last); then
   * {@link #selection} gives the order that picks it.
   */
  default boolean selective() {
    return false;
  }

  /**
   * For selective aggregations, whose result is the value of one input event (min, max, first,
   * last): an order over the rows of {@code events} such that the aggregate of any set of non-null
   * rows is the result of its greatest row alone. Runtimes may then keep row indices instead of
   * partials. Null for every other aggregation.
   *
   * @param column the input column in {@code events}
   */
  default IndexSort.RowComparator selection(EventBlock events, int column) {
    return null;
  }

  /** Writes {@code partial}'s payload (framing, format name and version are the codec's job). */
  void write(P partial, DataOutput out) throws IOException;

  /**
   * Reads a payload written by {@link #write}.
   *
   * @throws dev.lockstep.api.CorruptDataException if the payload is not a valid partial
   */
  P read(DataInput in) throws IOException;

  private IllegalStateException wrongInput(ValueType given) {
    return new IllegalStateException(
        "Cannot add a " + given.yamlName() + " value to " + aggregation() + ": it reads "
            + (inputType() == null ? "no column" : inputType().yamlName() + " values"));
  }
}
