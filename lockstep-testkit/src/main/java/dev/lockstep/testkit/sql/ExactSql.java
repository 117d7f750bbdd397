package dev.lockstep.testkit.sql;

import java.util.List;

/**
 * DuckDB SQL for sums, means, variances and standard deviations that are exact, rounded once, or
 * fail with an SQL error — never silently inexact. See {@link PointInTimeSql} for the conditions.
 *
 * <p>Algorithm. Values are first made integers {@code x = v · 2^s} (exact for a double that is a
 * multiple of {@code 2^-s}; a check raises an error otherwise). Sums of {@code x} and {@code x²}
 * are HUGEINT, so exact (DuckDB raises an error on overflow). A mean is {@code Σx / (n · 2^s)} and
 * a variance {@code NUM / DEN} with {@code NUM = n·Σx² − (Σx)²} and {@code DEN = n(n−1)·4^s} or
 * {@code n²·4^s}; both operands of that one division are checked to be at most 2^53, so they
 * convert to doubles exactly and the IEEE division rounds the exact quotient once.
 *
 * <p>A standard deviation cannot be the square root of the rounded variance: that rounds twice and
 * is wrong about once in ten. Instead {@code r = sqrt(fl(NUM/DEN))}, which is within one ulp of
 * the correct result, and the exact quotient is compared with the squares of the two midpoints
 * {@code r ± ulp/2}. A midpoint is {@code M · 2^(k−1)} with M odd and below 2^54+1, so
 * {@code NUM/DEN > mid²} is {@code NUM · 2^(2−2k) > DEN · M²}. {@code DEN · M²} can reach 2^161,
 * so it is built in three HUGEINT limbs of 27 bits of M ({@code M = M1·2^27 + M0}) and normalised
 * to {@code c · 2^54 + L} with {@code L < 2^54}; since the quotient is at most 2^53,
 * {@code 2 − 2k ≥ 54} and the left side is {@code (NUM << (2 − 2k − 54)) · 2^54}, whose high part
 * is close to c (the two sides agree to 2^-50), so it fits a HUGEINT.
 */
final class ExactSql {
  /** 2^53: integers up to it convert to DOUBLE exactly. */
  static final String EXACT_LIMIT = "9007199254740992";

  private static final String LIMB_MASK = "134217727"; // 2^27 − 1

  private ExactSql() {}

  /** A power of two as a DOUBLE literal, exact. */
  static String powerOfTwo(int bits) {
    return "(" + Math.scalb(1.0, bits) + ")::DOUBLE";
  }

  /**
   * The HUGEINT {@code v · 2^bits} of a DOUBLE column, or an SQL error when v is not a finite
   * multiple of {@code 2^-bits} below 2^62 in magnitude after scaling.
   */
  static String scaledDouble(String column, String label, int bits) {
    String scaled = "(" + column + " * " + powerOfTwo(bits) + ")";
    return "CASE WHEN " + column + " IS NULL THEN NULL"
        + " WHEN " + scaled + " = round(" + scaled + ") AND abs(" + scaled + ") < 4611686018427387904.0::DOUBLE"
        + " THEN CAST(CAST(" + scaled + " AS BIGINT) AS HUGEINT)"
        + " ELSE error('Cannot compute an exact sum: " + label + " = ' || CAST(" + column + " AS VARCHAR)"
        + " || ' is not a finite multiple of 2^-" + bits + " (PointInTimeSql exactness conditions)') END";
  }

  /** The DOUBLE {@code sum / divisor}, or an SQL error when the HUGEINT sum exceeds 2^53. */
  static String exactQuotient(String sum, String divisor, String what) {
    return "CASE WHEN abs(" + sum + ") <= " + EXACT_LIMIT
        + " THEN CAST(" + sum + " AS DOUBLE) / " + divisor
        + " ELSE error('Cannot compute an exact " + what + ": the scaled sum ' || CAST(" + sum
        + " AS VARCHAR) || ' exceeds 2^53 (PointInTimeSql exactness conditions)') END";
  }

  /**
   * Steps (expressions {@code AS alias}, in order) giving {@code p_v}, the correctly rounded
   * variance, from the aggregates {@code p_n}, {@code p_s} (Σx) and {@code p_q} (Σx²); null when
   * n is too small, or when the operands exceed 2^53 (then {@link #varianceGuard} raises an error).
   * No step may raise an error itself: DuckDB refuses to reuse an alias with side effects.
   */
  static List<String> varianceSteps(String p, boolean sample, int bits) {
    String n = "CAST(" + p + "_n AS HUGEINT)";
    String scale = "CAST(1 AS HUGEINT) << " + (2 * bits);
    String den = sample ? n + " * (" + n + " - 1) * (" + scale + ")" : n + " * " + n + " * (" + scale + ")";
    return List.of(
        n + " * " + p + "_q - " + p + "_s * " + p + "_s AS " + p + "_num",
        den + " AS " + p + "_den",
        p + "_n >= " + (sample ? 2 : 1) + " AS " + p + "_has",
        p + "_num <= " + EXACT_LIMIT + " AND " + p + "_den <= " + EXACT_LIMIT + " AS " + p + "_ok",
        "CASE WHEN " + p + "_has AND " + p + "_ok THEN CAST(" + p + "_num AS DOUBLE) / CAST(" + p
            + "_den AS DOUBLE) END AS " + p + "_v");
  }

  /** The final step: {@code result}, or an SQL error when the variance's operands exceed 2^53. */
  static String varianceGuard(String p, String result) {
    return "CASE WHEN " + p + "_has AND NOT " + p + "_ok"
        + " THEN error('Cannot compute an exact variance: numerator ' || CAST(" + p + "_num AS VARCHAR)"
        + " || ' or denominator ' || CAST(" + p + "_den AS VARCHAR)"
        + " || ' exceeds 2^53 (PointInTimeSql exactness conditions)') ELSE " + result + " END AS " + p;
  }

  /**
   * Steps giving {@code p}, the correctly rounded square root of {@code NUM/DEN}, after
   * {@link #varianceSteps} (which define {@code p_num}, {@code p_den} and {@code p_v}); the last
   * step is guarded by {@link #varianceGuard}.
   */
  static List<String> squareRootSteps(String p) {
    String r = p + "_r";
    String up = p + "_hi";
    String down = p + "_lo";
    List<String> steps = new java.util.ArrayList<>(List.of(
        "CASE WHEN " + p + "_v > 0 THEN sqrt(" + p + "_v) END AS " + r,
        "nextafter(" + r + ", 'inf'::DOUBLE) AS " + up,
        "nextafter(" + r + ", 0::DOUBLE) AS " + down,
        // midpoint above r: M = 2·r/u + 1 with u = hi − r = 2^k
        "2 * CAST(" + r + " / (" + up + " - " + r + ") AS HUGEINT) + 1 AS " + p + "_am",
        "CAST(2 - 2 * round(log2(" + up + " - " + r + ")) AS INTEGER) - 54 AS " + p + "_ash",
        // midpoint below r: M = 2·r/u − 1 with u = r − lo (half as large when r is a power of two)
        "2 * CAST(" + r + " / (" + r + " - " + down + ") AS HUGEINT) - 1 AS " + p + "_bm",
        "CAST(2 - 2 * round(log2(" + r + " - " + down + ")) AS INTEGER) - 54 AS " + p + "_bsh"));
    steps.addAll(midpointComparison(p, p + "_a"));
    steps.addAll(midpointComparison(p, p + "_b"));
    steps.add(varianceGuard(p, "CASE WHEN " + p + "_v IS NULL THEN NULL WHEN " + p + "_v = 0 THEN 0.0::DOUBLE"
        + " WHEN " + p + "_ax > " + p + "_ac THEN " + up
        + " WHEN " + p + "_bx < " + p + "_bc OR (" + p + "_bx = " + p + "_bc AND " + p + "_bl > 0) THEN " + down
        + " ELSE " + r + " END"));
    return steps;
  }

  /**
   * For the midpoint {@code q_m} and shift {@code q_sh}: {@code q_x = NUM << shift} against
   * {@code DEN · M² = q_c · 2^54 + q_l}, in 27-bit limbs of M.
   */
  private static List<String> midpointComparison(String p, String q) {
    String m1 = "(" + q + "m >> 27)";
    String m0 = "(" + q + "m & " + LIMB_MASK + ")";
    String den = p + "_den";
    return List.of(
        den + " * " + m0 + " * " + m0 + " AS " + q + "t0",
        den + " * 2 * " + m1 + " * " + m0 + " + (" + q + "t0 >> 27) AS " + q + "t1",
        den + " * " + m1 + " * " + m1 + " + (" + q + "t1 >> 27) AS " + q + "c",
        "((" + q + "t1 & " + LIMB_MASK + ") << 27) + (" + q + "t0 & " + LIMB_MASK + ") AS " + q + "l",
        p + "_num << " + q + "sh AS " + q + "x");
  }
}
