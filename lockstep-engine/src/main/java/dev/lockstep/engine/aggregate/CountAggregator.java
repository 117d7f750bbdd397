package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code count} (every event, nulls included) and {@code count_non_null(column)} (non-null values
 * of any type). Exact and invertible.
 */
final class CountAggregator extends BaseAggregator<Counter, Long> {
  private final boolean countsEvents;

  CountAggregator(Aggregation aggregation, ValueType inputType) {
    super(aggregation, aggregation.function() == AggregationFunction.COUNT ? null : inputType);
    this.countsEvents = aggregation.function() == AggregationFunction.COUNT;
  }

  @Override
  public Counter init() {
    return new Counter(0);
  }

  @Override
  public void addEvent(Counter partial, long eventTime, long ingestTime, long sequence) {
    if (countsEvents) {
      partial.value++;
    }
  }

  @Override
  public void addLong(Counter partial, long value, long eventTime, long ingestTime, long sequence) {
    partial.value++;
  }

  @Override
  public void addDouble(Counter partial, double value, long eventTime, long ingestTime, long sequence) {
    partial.value++;
  }

  @Override
  public void addString(Counter partial, String value, long eventTime, long ingestTime, long sequence) {
    partial.value++;
  }

  @Override
  public void removeEvent(Counter partial, long eventTime, long ingestTime, long sequence) {
    if (countsEvents) {
      partial.value--;
    }
  }

  @Override
  public void removeLong(Counter partial, long value, long eventTime, long ingestTime, long sequence) {
    partial.value--;
  }

  @Override
  public void removeDouble(Counter partial, double value, long eventTime, long ingestTime, long sequence) {
    partial.value--;
  }

  @Override
  public void removeString(Counter partial, String value, long eventTime, long ingestTime, long sequence) {
    partial.value--;
  }

  @Override
  public void merge(Counter into, Counter other) {
    into.value += other.value;
  }

  @Override
  public Long finish(Counter partial) {
    return partial.value;
  }

  @Override
  public Counter copy(Counter partial) {
    return new Counter(partial.value);
  }

  @Override
  public boolean invertible() {
    return true;
  }

  @Override
  public void subtract(Counter from, Counter part) {
    from.value -= part.value;
  }

  @Override
  public void write(Counter partial, DataOutput out) throws IOException {
    out.writeLong(partial.value);
  }

  @Override
  public Counter read(DataInput in) throws IOException {
    long value = in.readLong();
    if (value < 0) {
      throw new CorruptDataException("Cannot read " + aggregation + " partial: negative count " + value);
    }
    return new Counter(value);
  }
}
