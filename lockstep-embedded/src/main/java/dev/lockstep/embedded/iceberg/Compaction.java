package dev.lockstep.embedded.iceberg;

import java.util.BitSet;

/** Keeps the selected positions of a column batch, in order. */
final class Compaction {
  private Compaction() {}

  /**
   * The values of {@code values} (a {@code long[]}, {@code double[]} or {@code String[]}) at the
   * positions set in {@code keep}, which has {@code kept} of them.
   */
  static Object select(Object values, BitSet keep, int kept) {
    if (values instanceof long[] longs) {
      long[] result = new long[kept];
      int next = 0;
      for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
        result[next++] = longs[i];
      }
      return result;
    }
    if (values instanceof double[] doubles) {
      double[] result = new double[kept];
      int next = 0;
      for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
        result[next++] = doubles[i];
      }
      return result;
    }
    String[] strings = (String[]) values;
    String[] result = new String[kept];
    int next = 0;
    for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
      result[next++] = strings[i];
    }
    return result;
  }

  /** The null positions {@code nulls}, renumbered to the positions kept by {@code keep}. */
  static BitSet select(BitSet nulls, BitSet keep) {
    BitSet result = new BitSet();
    if (nulls.isEmpty()) {
      return result;
    }
    int next = 0;
    for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) {
      if (nulls.get(i)) {
        result.set(next);
      }
      next++;
    }
    return result;
  }
}
