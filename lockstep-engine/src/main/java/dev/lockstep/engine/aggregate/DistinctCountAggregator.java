package dev.lockstep.engine.aggregate;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * {@code approx_count_distinct(column)}: Apache DataSketches HyperLogLog with {@code lgK = 12}
 * (4096 registers of 8 bits).
 *
 * <p>Accuracy: a relative standard error of about {@code 1.04 / sqrt(4096) ≈ 1.6%} once the sketch
 * is in HLL mode, so 99.7% of estimates fall within 5% of the true count; below a few hundred
 * distinct values the sketch keeps a list of hashed coupons and is almost always exact.
 *
 * <p>Order independence: registers are maxima and coupon lists are sets, and the result is always
 * the sketch's composite estimate, which reads only the registers (never the HIP accumulator, whose
 * value depends on insertion order). Longs, doubles and strings are hashed by DataSketches'
 * MurmurHash3 of their canonical bytes.
 *
 * <p>Sharing: a partial returned by {@link #read} may be read (finished, merged into another
 * partial, copied) from many threads at once; see {@link #settled}.
 */
final class DistinctCountAggregator extends BaseAggregator<Union, Long> {
  static final int LG_K = 12;


  DistinctCountAggregator(Aggregation aggregation, ValueType inputType) {
    super(aggregation, inputType);
  }

  @Override
  public Union init() {
    return new Union(LG_K);
  }

  @Override
  public void addLong(Union partial, long value, long eventTime, long ingestTime, long sequence) {
    partial.update(value);
  }

  @Override
  public void addDouble(Union partial, double value, long eventTime, long ingestTime, long sequence) {
    partial.update(value);
  }

  @Override
  public void addString(Union partial, String value, long eventTime, long ingestTime, long sequence) {
    if (value.isEmpty()) {
      // DataSketches ignores empty strings; hash a marker that no non-empty string encodes to.
      partial.update(new char[] {'\uFFFF', '\u0000'});
    } else {
      partial.update(value);
    }
  }

  @Override
  public void merge(Union into, Union other) {
    if (!other.isEmpty()) {
      into.update(other.getResult(TgtHllType.HLL_8));
    }
  }

  @Override
  public Long finish(Union partial) {
    return partial.isEmpty() ? 0L : Math.round(partial.getCompositeEstimate());
  }

  /**
   * {@code union}, its derived registers rebuilt. After a merge DataSketches marks a union's curMin,
   * numAtCurMin and KxQ registers for rebuilding, and the next estimate or result rebuilds them in
   * place: a write. A decoded partial is shared by every reader of a published state, so it is
   * settled here, once, before anyone reads it; after that {@link #merge} (as its source) and
   * {@link #finish} only read it.
   */
  private static Union settled(Union union) {
    union.getCompositeEstimate();
    return union;
  }

  @Override
  public Union copy(Union partial) {
    Union copy = new Union(LG_K);
    merge(copy, partial);
    return copy;
  }

  @Override
  public void write(Union partial, DataOutput out) throws IOException {
    byte[] image = partial.toCompactByteArray();
    out.writeInt(image.length);
    out.write(image);
  }

  @Override
  public Union read(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > Union.getMaxSerializationBytes(LG_K)) {
      throw new CorruptDataException(
          "Cannot read " + aggregation + " partial: sketch length " + length + " is out of range");
    }
    byte[] image = new byte[length];
    in.readFully(image);
    try {
      return settled(Union.heapify(image));
    } catch (SketchesException | IndexOutOfBoundsException damaged) {
      throw new CorruptDataException(
          "Cannot read " + aggregation + " partial: the HyperLogLog image is damaged", damaged);
    }
  }
}
