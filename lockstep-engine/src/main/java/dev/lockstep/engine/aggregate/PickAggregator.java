package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.IndexSort;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code min}, {@code max}, {@code first} and {@code last} over long, double or string values.
 *
 * <p>min and max order doubles by {@link Double#compare} (−0.0 before 0.0, NaN above everything)
 * and strings by code point ({@link Ordering#compareStrings}); both are total orders, so the pick is
 * independent of arrival order. first and last pick the value of the event that is smallest or
 * largest by {@code (eventTime, ingestTime, sequence)}.
 */
final class PickAggregator extends BaseAggregator<Pick, Object> {
  private final AggregationFunction function;
  private final boolean byEventOrder;

  PickAggregator(Aggregation aggregation, ValueType inputType) {
    super(aggregation, inputType);
    this.function = aggregation.function();
    this.byEventOrder = function == AggregationFunction.FIRST || function == AggregationFunction.LAST;
  }

  @Override
  public Pick init() {
    return new Pick();
  }

  /** Whether a candidate comparing to the current pick as {@code valueOrder} (or by event) wins. */
  private boolean wins(Pick current, int valueOrder, long eventTime, long ingestTime, long sequence) {
    if (!current.present) {
      return true;
    }
    switch (function) {
      case MIN:
        return valueOrder < 0;
      case MAX:
        return valueOrder > 0;
      case FIRST:
        return Ordering.compareEvents(eventTime, ingestTime, sequence,
            current.eventTime, current.ingestTime, current.sequence) < 0;
      case LAST:
        return Ordering.compareEvents(eventTime, ingestTime, sequence,
            current.eventTime, current.ingestTime, current.sequence) > 0;
      default:
        throw new AssertionError(function);
    }
  }

  @Override
  public void addLong(Pick partial, long value, long eventTime, long ingestTime, long sequence) {
    int order = byEventOrder || !partial.present ? 0 : Long.compare(value, partial.longValue);
    if (wins(partial, order, eventTime, ingestTime, sequence)) {
      partial.longValue = value;
      partial.setKey(eventTime, ingestTime, sequence);
    }
  }

  @Override
  public void addDouble(Pick partial, double value, long eventTime, long ingestTime, long sequence) {
    int order = byEventOrder || !partial.present ? 0 : Double.compare(value, partial.doubleValue);
    if (wins(partial, order, eventTime, ingestTime, sequence)) {
      partial.doubleValue = value;
      partial.setKey(eventTime, ingestTime, sequence);
    }
  }

  @Override
  public void addString(Pick partial, String value, long eventTime, long ingestTime, long sequence) {
    int order =
        byEventOrder || !partial.present ? 0 : Ordering.compareStrings(value, partial.stringValue);
    if (wins(partial, order, eventTime, ingestTime, sequence)) {
      partial.stringValue = value;
      partial.setKey(eventTime, ingestTime, sequence);
    }
  }

  @Override
  public boolean selective() {
    return true;
  }

  @Override
  public IndexSort.RowComparator selection(EventBlock events, int column) {
    long[] eventTimes = events.eventTimes();
    long[] ingestTimes = events.ingestTimes();
    long[] sequences = events.sequences();
    IndexSort.RowComparator byEvent = (left, right) -> Ordering.compareEvents(
        eventTimes[left], ingestTimes[left], sequences[left], eventTimes[right], ingestTimes[right], sequences[right]);
    IndexSort.RowComparator byValue = switch (inputType) {
      case LONG -> {
        long[] values = events.longs(column);
        yield (left, right) -> Long.compare(values[left], values[right]);
      }
      case DOUBLE -> {
        double[] values = events.doubles(column);
        yield (left, right) -> Double.compare(values[left], values[right]);
      }
      case STRING -> {
        String[] values = events.strings(column);
        yield (left, right) -> Ordering.compareStrings(values[left], values[right]);
      }
    };
    return switch (function) {
      case MAX -> byValue;
      case MIN -> (left, right) -> byValue.compare(right, left);
      case LAST -> byEvent;
      case FIRST -> (left, right) -> byEvent.compare(right, left);
      default -> throw new AssertionError(function);
    };
  }

  @Override
  public void merge(Pick into, Pick other) {
    if (!other.present) {
      return;
    }
    int order = 0;
    if (!byEventOrder && into.present) {
      switch (inputType) {
        case LONG -> order = Long.compare(other.longValue, into.longValue);
        case DOUBLE -> order = Double.compare(other.doubleValue, into.doubleValue);
        case STRING -> order = Ordering.compareStrings(other.stringValue, into.stringValue);
      }
    }
    if (wins(into, order, other.eventTime, other.ingestTime, other.sequence)) {
      into.set(other);
    }
  }

  @Override
  public Object finish(Pick partial) {
    if (!partial.present) {
      return null;
    }
    return switch (inputType) {
      case LONG -> partial.longValue;
      case DOUBLE -> partial.doubleValue;
      case STRING -> partial.stringValue;
    };
  }

  @Override
  public Pick copy(Pick partial) {
    Pick copy = new Pick();
    copy.set(partial);
    return copy;
  }

  @Override
  public void write(Pick partial, DataOutput out) throws IOException {
    out.writeBoolean(partial.present);
    if (!partial.present) {
      return;
    }
    TypedValues.write(inputType, partial.longValue, partial.doubleValue, partial.stringValue, out);
    if (byEventOrder) {
      out.writeLong(partial.eventTime);
      out.writeLong(partial.ingestTime);
      out.writeLong(partial.sequence);
    }
  }

  @Override
  public Pick read(DataInput in) throws IOException {
    Pick partial = new Pick();
    byte present = in.readByte();
    if (present == 0) {
      return partial;
    }
    if (present != 1) {
      throw new CorruptDataException("Cannot read " + aggregation + " partial: bad presence flag " + present);
    }
    partial.present = true;
    switch (inputType) {
      case LONG -> partial.longValue = in.readLong();
      case DOUBLE -> partial.doubleValue = in.readDouble();
      case STRING -> partial.stringValue = TypedValues.readString(in);
    }
    if (byEventOrder) {
      partial.eventTime = in.readLong();
      partial.ingestTime = in.readLong();
      partial.sequence = in.readLong();
    }
    return partial;
  }
}
