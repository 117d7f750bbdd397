package dev.lockstep.engine.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import dev.lockstep.api.Aggregation;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@code approx_percentile(column, p)}: a DDSketch (Datadog's sketches-java) with relative accuracy
 * {@value #RELATIVE_ACCURACY}.
 *
 * <p>Accuracy: the result is within 1% relative error of the exact lower p-quantile, the value at
 * 0-based rank {@code floor(p · (n − 1))} of the sorted values, for values whose magnitude lies in
 * the sketch's indexable range (about 1e-300 to 1e300); smaller magnitudes count as zero. Values
 * rank in {@link Double#compare} order: −∞ and values below the range answer −∞, values above it
 * and +∞ answer +∞, NaN ranks above everything.
 *
 * <p>Order independence: the sketch is a histogram of bucket counts (integers held exactly in
 * doubles), so adding and merging commute; the result reads only the counts.
 */
final class PercentileAggregator extends BaseAggregator<QuantileSketch, Double> {
  static final double RELATIVE_ACCURACY = 0.01;

  private final double quantile;
  private final double maxIndexable;

  PercentileAggregator(Aggregation aggregation, ValueType inputType) {
    super(aggregation, inputType);
    this.quantile = aggregation.quantile();
    this.maxIndexable = DDSketches.unboundedDense(RELATIVE_ACCURACY).getIndexMapping().maxIndexableValue();
  }

  @Override
  public QuantileSketch init() {
    return new QuantileSketch(DDSketches.unboundedDense(RELATIVE_ACCURACY));
  }

  @Override
  public void addLong(QuantileSketch partial, long value, long eventTime, long ingestTime, long sequence) {
    addDouble(partial, (double) value, eventTime, ingestTime, sequence);
  }

  @Override
  public void addDouble(QuantileSketch partial, double value, long eventTime, long ingestTime, long sequence) {
    if (Double.isNaN(value)) {
      partial.nans++;
    } else if (value > maxIndexable) {
      partial.above++;
    } else if (value < -maxIndexable) {
      partial.below++;
    } else {
      partial.sketch.accept(value);
    }
  }

  @Override
  public void merge(QuantileSketch into, QuantileSketch other) {
    into.sketch.mergeWith(other.sketch);
    into.below += other.below;
    into.above += other.above;
    into.nans += other.nans;
  }

  @Override
  public Double finish(QuantileSketch partial) {
    long count = partial.count();
    if (count == 0) {
      return null;
    }
    long rank = (long) Math.floor(quantile * (count - 1));
    if (rank < partial.below) {
      return Double.NEGATIVE_INFINITY;
    }
    long inSketch = (long) partial.sketch.getCount();
    long sketchRank = rank - partial.below;
    if (sketchRank < inSketch) {
      // The sketch ranks at floor(q' · (inSketch − 1)); q' aims mid-rank so rounding cannot slip.
      double sketchQuantile =
          inSketch == 1 ? 0.0 : Math.min(1.0, (sketchRank + 0.5) / (inSketch - 1));
      return partial.sketch.getValueAtQuantile(sketchQuantile);
    }
    return sketchRank - inSketch < partial.above ? Double.POSITIVE_INFINITY : Double.NaN;
  }

  @Override
  public QuantileSketch copy(QuantileSketch partial) {
    QuantileSketch copy = new QuantileSketch(partial.sketch.copy());
    copy.below = partial.below;
    copy.above = partial.above;
    copy.nans = partial.nans;
    return copy;
  }

  @Override
  public void write(QuantileSketch partial, DataOutput out) throws IOException {
    out.writeLong(partial.below);
    out.writeLong(partial.above);
    out.writeLong(partial.nans);
    GrowingByteArrayOutput image = GrowingByteArrayOutput.withDefaultInitialCapacity();
    partial.sketch.encode(image, false);
    byte[] bytes = image.trimmedCopy();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  @Override
  public QuantileSketch read(DataInput in) throws IOException {
    long below = in.readLong();
    long above = in.readLong();
    long nans = in.readLong();
    int length = in.readInt();
    if (below < 0 || above < 0 || nans < 0 || length < 0 || length > 1 << 24) {
      throw new CorruptDataException("Cannot read " + aggregation + " partial: its counts are out of range");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    DDSketch sketch;
    try {
      sketch = DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new);
    } catch (IOException | RuntimeException damaged) {
      throw new CorruptDataException(
          "Cannot read " + aggregation + " partial: the DDSketch image is damaged", damaged);
    }
    QuantileSketch partial = new QuantileSketch(sketch);
    partial.below = below;
    partial.above = above;
    partial.nans = nans;
    return partial;
  }
}
