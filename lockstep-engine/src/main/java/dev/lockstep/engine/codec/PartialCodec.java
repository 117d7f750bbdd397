package dev.lockstep.engine.codec;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.aggregate.Aggregator;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Stores one partial aggregate as self-describing bytes: format {@value #FORMAT} version
 * {@value #VERSION}. The body names the aggregation it was written for (function, column, k,
 * quantile, input type), so reading it with another aggregator fails instead of misreading it.
 *
 * <pre>
 *   header (see Framing)             "lockstep.partial", 1
 *   aggregation descriptor            UTF function, bool+UTF column, int k, double quantile, byte input type (-1: none)
 *   payload                           the aggregator's own encoding
 *   CRC32 footer
 * </pre>
 */
public final class PartialCodec {
  public static final String FORMAT = "lockstep.partial";
  public static final int VERSION = 1;

  private PartialCodec() {}

  public static <P> byte[] encode(Aggregator<P, ?> aggregator, P partial) {
    return Framing.write(FORMAT, VERSION, out -> {
      writeDescriptor(aggregator, out);
      aggregator.write(partial, out);
    });
  }

  /**
   * Reads a partial written by {@link #encode} for the same aggregation.
   *
   * @throws CorruptDataException if the bytes are damaged, of another format or version, or were
   *     written for another aggregation
   */
  public static <P> P decode(Aggregator<P, ?> aggregator, byte[] bytes) {
    Object what = Framing.lazily(() -> "partial aggregate of " + aggregator.aggregation());
    return Framing.read(bytes, what, FORMAT, VERSION, (in, version) -> {
      checkDescriptor(aggregator, in, what);
      return aggregator.read(in);
    });
  }

  static void writeDescriptor(Aggregator<?, ?> aggregator, DataOutputStream out) throws IOException {
    Aggregation aggregation = aggregator.aggregation();
    out.writeUTF(aggregation.function().yamlName());
    out.writeBoolean(aggregation.column() != null);
    if (aggregation.column() != null) {
      out.writeUTF(aggregation.column());
    }
    out.writeInt(aggregation.k());
    out.writeDouble(aggregation.quantile());
    out.writeByte(aggregator.inputType() == null ? -1 : aggregator.inputType().ordinal());
  }

  static void checkDescriptor(Aggregator<?, ?> aggregator, DataInputStream in, Object what) throws IOException {
    AggregationFunction function = AggregationFunction.forName(in.readUTF());
    String column = in.readBoolean() ? in.readUTF() : null;
    int k = in.readInt();
    double quantile = in.readDouble();
    int type = in.readByte();
    if (type < -1 || type >= ValueType.values().length) {
      throw new CorruptDataException("Cannot read " + what + ": input type " + type + " does not exist");
    }
    Aggregation stored = new Aggregation(function, column, k, quantile);
    ValueType storedType = type < 0 ? null : ValueType.values()[type];
    if (!stored.equals(aggregator.aggregation()) || storedType != aggregator.inputType()) {
      throw new CorruptDataException("Cannot read " + what + ": the bytes were written for " + stored
          + (storedType == null ? "" : " over " + storedType.yamlName())
          + " (read them with that aggregation, or rebuild the state after changing a feature)");
    }
  }
}
