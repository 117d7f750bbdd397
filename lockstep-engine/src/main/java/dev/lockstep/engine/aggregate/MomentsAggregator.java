package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.exact.ExactStatistics;
import dev.lockstep.engine.exact.ExactSum;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code sum}, {@code mean}, {@code var_samp}, {@code var_pop}, {@code stddev_samp} and
 * {@code stddev_pop} over long or double values.
 *
 * <p>Algorithm: the partial holds the count and exact sums of the values and of their squares
 * ({@link ExactSum}), so adding, merging and subtracting are exact and order-independent. The
 * result is computed from the exact sums and rounded once ({@link ExactStatistics}): a double sum
 * is the correctly rounded exact sum, a mean is the correctly rounded {@code S/n}, a variance the
 * correctly rounded {@code (n·Q − S²)/(n·(n−1))} (sample) or {@code /n²} (population), a standard
 * deviation the correctly rounded square root of that exact variance. A sum of longs is the exact
 * long sum.
 */
final class MomentsAggregator extends BaseAggregator<Moments, Object> {
  private final AggregationFunction function;
  private final boolean needsSquares;

  MomentsAggregator(Aggregation aggregation, ValueType inputType) {
    super(aggregation, inputType);
    this.function = aggregation.function();
    this.needsSquares = function != AggregationFunction.SUM && function != AggregationFunction.MEAN;
  }

  /**
   * Every moments function over a column can finish the partial of {@code var_pop} over it, which
   * holds the count, the sum and the sum of squares.
   */
  @Override
  public Aggregator<?, ?> stateAggregator() {
    return function == AggregationFunction.VAR_POP ? this
        : new MomentsAggregator(Aggregation.of(AggregationFunction.VAR_POP, aggregation.column()), inputType);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MomentsAggregator moments
        && moments.aggregation.equals(aggregation) && moments.inputType == inputType;
  }

  @Override
  public int hashCode() {
    return aggregation.hashCode() * 31 + inputType.hashCode();
  }

  @Override
  public Moments init() {
    return new Moments(0, new ExactSum(), needsSquares ? new ExactSum() : null);
  }

  @Override
  public void addLong(Moments partial, long value, long eventTime, long ingestTime, long sequence) {
    partial.count++;
    partial.sum.add(value);
    if (needsSquares) {
      partial.squares.addSquare(value);
    }
  }

  @Override
  public void addDouble(Moments partial, double value, long eventTime, long ingestTime, long sequence) {
    partial.count++;
    partial.sum.add(value);
    if (needsSquares) {
      partial.squares.addSquare(value);
    }
  }

  @Override
  public void removeLong(Moments partial, long value, long eventTime, long ingestTime, long sequence) {
    partial.count--;
    partial.sum.remove(value);
    if (needsSquares) {
      partial.squares.removeSquare(value);
    }
  }

  @Override
  public void removeDouble(Moments partial, double value, long eventTime, long ingestTime, long sequence) {
    partial.count--;
    partial.sum.remove(value);
    if (needsSquares) {
      partial.squares.removeSquare(value);
    }
  }

  @Override
  public void merge(Moments into, Moments other) {
    into.count += other.count;
    into.sum.add(other.sum);
    if (needsSquares) {
      into.squares.add(other.squares);
    }
  }

  @Override
  public boolean invertible() {
    return true;
  }

  @Override
  public void subtract(Moments from, Moments part) {
    from.count -= part.count;
    from.sum.subtract(part.sum);
    if (needsSquares) {
      from.squares.subtract(part.squares);
    }
  }

  @Override
  public Object finish(Moments partial) {
    long n = partial.count;
    switch (function) {
      case SUM:
        return inputType == ValueType.LONG ? longSum(partial.sum) : (Object) partial.sum.doubleValue();
      case MEAN:
        return n == 0 ? null : ExactStatistics.mean(partial.sum, n);
      case VAR_SAMP:
        return n < 2 ? null : ExactStatistics.variance(partial.sum, partial.squares, n, true);
      case VAR_POP:
        return n == 0 ? null : ExactStatistics.variance(partial.sum, partial.squares, n, false);
      case STDDEV_SAMP:
        return n < 2 ? null : ExactStatistics.standardDeviation(partial.sum, partial.squares, n, true);
      case STDDEV_POP:
        return n == 0 ? null : ExactStatistics.standardDeviation(partial.sum, partial.squares, n, false);
      default:
        throw new AssertionError(function);
    }
  }

  private Long longSum(ExactSum sum) {
    try {
      return sum.longValueExact();
    } catch (ArithmeticException overflow) {
      throw new ArithmeticException(
          "Cannot finish " + aggregation + ": the exact sum " + sum
              + " does not fit a long (declare the column as double)");
    }
  }

  @Override
  public Moments copy(Moments partial) {
    return new Moments(
        partial.count, partial.sum.copy(), needsSquares ? partial.squares.copy() : null);
  }

  @Override
  public void write(Moments partial, DataOutput out) throws IOException {
    out.writeLong(partial.count);
    partial.sum.writeTo(out);
    if (needsSquares) {
      partial.squares.writeTo(out);
    }
  }

  @Override
  public Moments read(DataInput in) throws IOException {
    long count = in.readLong();
    if (count < 0) {
      throw new CorruptDataException("Cannot read " + aggregation + " partial: negative count " + count);
    }
    ExactSum sum = ExactSum.readFrom(in);
    return new Moments(count, sum, needsSquares ? ExactSum.readFrom(in) : null);
  }
}
