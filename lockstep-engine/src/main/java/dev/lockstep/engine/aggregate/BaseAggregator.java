package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;

/** What every aggregator holds: the aggregation it computes and the type of its input column. */
abstract class BaseAggregator<P, R> implements Aggregator<P, R> {
  final Aggregation aggregation;
  final ValueType inputType;

  BaseAggregator(Aggregation aggregation, ValueType inputType) {
    this.aggregation = aggregation;
    this.inputType = inputType;
  }

  @Override
  public final Aggregation aggregation() {
    return aggregation;
  }

  @Override
  public final ValueType inputType() {
    return inputType;
  }

  @Override
  public String toString() {
    return aggregation + (inputType == null ? "" : " over " + inputType.yamlName());
  }
}
