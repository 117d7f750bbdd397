package dev.lockstep.core.internal;

import java.util.List;

/** The parity invariant's equality of feature values, for replay and the tests that check it. */
public final class FeatureValues {
  private FeatureValues() {}

  /**
   * Whether two feature values are exactly equal: both null, Longs equal, Doubles of the same bits
   * (every NaN alike), Strings equal, or Lists of pairwise equal elements.
   */
  public static boolean same(Object served, Object rebuilt) {
    if (served == null || rebuilt == null) {
      return served == rebuilt;
    }
    if (served instanceof Double a && rebuilt instanceof Double b) {
      return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }
    if (served instanceof List<?> a && rebuilt instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return served.getClass() == rebuilt.getClass() && served.equals(rebuilt);
  }
}
