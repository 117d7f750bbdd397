package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code first_k(column, k)}: the values of the k oldest events, oldest first; {@code last_k(column,
 * k)}: the values of the k newest events, newest first. Events are ordered by {@code (eventTime,
 * ingestTime, sequence)}, which the partial keeps, so the result does not depend on arrival order.
 */
final class OrderedValuesAggregator extends BaseAggregator<OrderedValues, List<Object>> {
  private final int k;
  private final boolean keepNewest;

  OrderedValuesAggregator(Aggregation aggregation, ValueType inputType) {
    super(aggregation, inputType);
    this.k = aggregation.k();
    this.keepNewest = aggregation.function() == AggregationFunction.LAST_K;
  }

  @Override
  public OrderedValues init() {
    return new OrderedValues(k, inputType == ValueType.STRING);
  }

  private void offer(OrderedValues partial, long eventTime, long ingestTime, long sequence,
      long bits, String string) {
    int position = partial.insertionPoint(eventTime, ingestTime, sequence);
    if (partial.size < k) {
      partial.insert(position, eventTime, ingestTime, sequence, bits, string);
    } else if (keepNewest && position > 0) {
      partial.remove(0);
      partial.insert(position - 1, eventTime, ingestTime, sequence, bits, string);
    } else if (!keepNewest && position < k) {
      partial.remove(k - 1);
      partial.insert(position, eventTime, ingestTime, sequence, bits, string);
    }
  }

  @Override
  public void addLong(OrderedValues partial, long value, long eventTime, long ingestTime, long sequence) {
    offer(partial, eventTime, ingestTime, sequence, value, null);
  }

  @Override
  public void addDouble(OrderedValues partial, double value, long eventTime, long ingestTime, long sequence) {
    offer(partial, eventTime, ingestTime, sequence, Double.doubleToRawLongBits(value), null);
  }

  @Override
  public void addString(OrderedValues partial, String value, long eventTime, long ingestTime, long sequence) {
    offer(partial, eventTime, ingestTime, sequence, 0, value);
  }

  @Override
  public void merge(OrderedValues into, OrderedValues other) {
    for (int i = 0; i < other.size; i++) {
      offer(into, other.eventTimes[i], other.ingestTimes[i], other.sequences[i],
          other.bits == null ? 0 : other.bits[i], other.strings == null ? null : other.strings[i]);
    }
  }

  @Override
  public List<Object> finish(OrderedValues partial) {
    List<Object> values = new ArrayList<>(partial.size);
    for (int i = 0; i < partial.size; i++) {
      int index = keepNewest ? partial.size - 1 - i : i;
      values.add(switch (inputType) {
        case LONG -> partial.bits[index];
        case DOUBLE -> Double.longBitsToDouble(partial.bits[index]);
        case STRING -> partial.strings[index];
      });
    }
    return Collections.unmodifiableList(values);
  }

  @Override
  public OrderedValues copy(OrderedValues partial) {
    OrderedValues copy = init();
    merge(copy, partial);
    return copy;
  }

  @Override
  public void write(OrderedValues partial, DataOutput out) throws IOException {
    out.writeInt(partial.size);
    for (int i = 0; i < partial.size; i++) {
      out.writeLong(partial.eventTimes[i]);
      out.writeLong(partial.ingestTimes[i]);
      out.writeLong(partial.sequences[i]);
      if (partial.strings != null) {
        TypedValues.writeString(partial.strings[i], out);
      } else {
        out.writeLong(partial.bits[i]);
      }
    }
  }

  @Override
  public OrderedValues read(DataInput in) throws IOException {
    int size = in.readInt();
    if (size < 0 || size > k) {
      throw new CorruptDataException(
          "Cannot read " + aggregation + " partial: " + size + " values where at most " + k + " fit");
    }
    OrderedValues partial = init();
    for (int i = 0; i < size; i++) {
      long eventTime = in.readLong();
      long ingestTime = in.readLong();
      long sequence = in.readLong();
      if (partial.strings != null) {
        offer(partial, eventTime, ingestTime, sequence, 0, TypedValues.readString(in));
      } else {
        offer(partial, eventTime, ingestTime, sequence, in.readLong(), null);
      }
    }
    return partial;
  }
}
