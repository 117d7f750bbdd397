package dev.lockstep.core.drift;

import dev.lockstep.api.ValueType;
import dev.lockstep.engine.exact.ExactStatistics;
import dev.lockstep.engine.exact.ExactSum;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Accumulates the {@link FeatureProfile} of one feature column: add values (or merge another
 * profiler of the same column), then {@link #finish}. Mutable and not thread-safe.
 *
 * <p>Numeric values (Long, Double) go into a KLL doubles sketch with {@code k = 200} (a normalized
 * rank error of about 1.3% for a single rank, 1.65% for a whole CDF, at 99% confidence; exact while
 * it holds at most {@code k} values). Longs are sketched as doubles, so beyond 2^53 they are rounded.
 * The mean is rounded once from an exact sum, so it does not depend on the order of the values.
 *
 * <p>String values are counted exactly, but only the first {@code trackedCategories} distinct values
 * seen (in the order added, then merged) get a counter: a value first seen when that many are
 * already tracked is counted in {@code other}. {@link #finish} keeps the {@value #STORED_CATEGORIES}
 * most frequent tracked values (ties in code-point order) and adds the rest to {@code other}. Every
 * stored count is therefore exact; only which values are stored can miss a value first seen after
 * the tracking cap was reached.
 *
 * <p>The type is the declared one, or is inferred from the values: Double (or a mix with Long) is
 * {@code double}, Long alone {@code long}, String {@code string}; a list makes it {@code list<...>}.
 */
public final class ValueProfiler {
  /** The KLL sketch parameter (DataSketches' default). */
  public static final int K = KllSketch.DEFAULT_K;
  /** How many most frequent values a categorical profile stores. */
  public static final int STORED_CATEGORIES = 100;
  /** How many distinct values a categorical profiler counts, by default. */
  public static final int TRACKED_CATEGORIES_DEFAULT = 10_000;

  private enum Kind { NUMERIC, CATEGORICAL }

  private final String name;
  private final String declaredType;
  private final int trackedCategories;
  private Kind kind;
  private boolean list;
  private boolean sawDouble;
  private boolean sawLong;
  private long count;
  private long nulls;
  private long nans;
  private KllDoublesSketch sketch;
  private ExactSum sum;
  private final LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
  private long categoricalValues;
  private long other;

  private ValueProfiler(String name, String declaredType, Kind kind, boolean list, int trackedCategories) {
    if (trackedCategories < STORED_CATEGORIES) {
      throw new IllegalArgumentException(
          "Cannot profile '" + name + "': tracked categories " + trackedCategories + " is below " + STORED_CATEGORIES);
    }
    this.name = name;
    this.declaredType = declaredType;
    this.kind = kind;
    this.list = list;
    this.trackedCategories = trackedCategories;
  }

  /** A profiler of a column of {@code type} values, or of lists of them. */
  public static ValueProfiler declared(String name, ValueType type, boolean list) {
    String element = type.yamlName();
    return new ValueProfiler(
        name,
        list ? "list<" + element + ">" : element,
        type == ValueType.STRING ? Kind.CATEGORICAL : Kind.NUMERIC,
        list,
        TRACKED_CATEGORIES_DEFAULT);
  }

  /** A profiler that infers the column's type from its values. */
  public static ValueProfiler inferred(String name, int trackedCategories) {
    return new ValueProfiler(name, null, null, false, trackedCategories);
  }

  /** The column's name. */
  public String name() {
    return name;
  }

  /**
   * Adds one row's value: null, Long, Double (also Integer, Float), String, or a List of those.
   *
   * @throws IllegalArgumentException for a value of another class, or a number in a column of
   *     strings (or the reverse)
   */
  public void add(Object value) {
    count++;
    if (value == null) {
      nulls++;
    } else if (value instanceof List<?> elements) {
      list = true;
      for (Object element : elements) {
        if (element != null) {
          addElement(element);
        }
      }
    } else {
      addElement(value);
    }
  }

  /** Adds {@code rows} null values. */
  void addNulls(long rows) {
    count += rows;
    nulls += rows;
  }

  private void addElement(Object value) {
    if (value instanceof Double || value instanceof Float) {
      kind(Kind.NUMERIC, value);
      sawDouble = true;
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number)) {
        nans++;
      } else {
        numbers().update(number);
        sum.add(number);
      }
    } else if (value instanceof Long || value instanceof Integer) {
      kind(Kind.NUMERIC, value);
      sawLong = true;
      long number = ((Number) value).longValue();
      numbers().update((double) number);
      sum.add(number);
    } else if (value instanceof String string) {
      kind(Kind.CATEGORICAL, value);
      categoricalValues++;
      long[] counter = counts.get(string);
      if (counter != null) {
        counter[0]++;
      } else if (counts.size() < trackedCategories) {
        counts.put(string, new long[] {1});
      } else {
        other++;
      }
    } else {
      throw new IllegalArgumentException(
          "Cannot profile feature '" + name + "': a value of " + value.getClass().getName()
              + " (feature values are Long, Double, String or a List of them)");
    }
  }

  private void kind(Kind wanted, Object value) {
    if (kind == null) {
      kind = wanted;
    } else if (kind != wanted) {
      throw new IllegalArgumentException(
          "Cannot profile feature '" + name + "': the value " + value + " is not "
              + (kind == Kind.NUMERIC ? "a number" : "a string") + " like the others");
    }
  }

  private KllDoublesSketch numbers() {
    if (sketch == null) {
      sketch = KllDoublesSketch.newHeapInstance(K);
      sum = new ExactSum();
    }
    return sketch;
  }

  /**
   * Adds everything {@code other} profiled, as if its values had been added after this one's.
   * {@code other} is not changed.
   *
   * @throws IllegalArgumentException if one profiled numbers and the other strings
   */
  public void merge(ValueProfiler other) {
    if (other.kind != null) {
      kind(other.kind, other.kind == Kind.NUMERIC ? "(numbers)" : "(strings)");
    }
    count += other.count;
    nulls += other.nulls;
    nans += other.nans;
    list |= other.list;
    sawDouble |= other.sawDouble;
    sawLong |= other.sawLong;
    if (other.sketch != null) {
      numbers().merge(other.sketch);
      sum.add(other.sum);
    }
    categoricalValues += other.categoricalValues;
    this.other += other.other;
    for (Map.Entry<String, long[]> entry : other.counts.entrySet()) {
      long[] counter = counts.get(entry.getKey());
      if (counter != null) {
        counter[0] += entry.getValue()[0];
      } else if (counts.size() < trackedCategories) {
        counts.put(entry.getKey(), new long[] {entry.getValue()[0]});
      } else {
        this.other += entry.getValue()[0];
      }
    }
  }

  /** The profile of everything added so far. The profiler can go on. */
  public FeatureProfile finish() {
    if (kind == Kind.CATEGORICAL) {
      List<Map.Entry<String, long[]>> entries = new ArrayList<>(counts.entrySet());
      entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
          ? Long.compare(b.getValue()[0], a.getValue()[0])
          : compareCodePoints(a.getKey(), b.getKey()));
      Map<String, Long> stored = new LinkedHashMap<>();
      long storedValues = 0;
      for (Map.Entry<String, long[]> entry : entries.subList(0, Math.min(STORED_CATEGORIES, entries.size()))) {
        stored.put(entry.getKey(), entry.getValue()[0]);
        storedValues += entry.getValue()[0];
      }
      return new FeatureProfile(name, type(), count, nulls, nans, categoricalValues, null, null, null, null, null,
          stored, categoricalValues - storedValues);
    }
    if (sketch == null || sketch.isEmpty()) {
      return new FeatureProfile(name, type(), count, nulls, nans, 0, null, null, null, null, null, null, null);
    }
    double[] quantiles = sketch.getQuantiles(FeatureProfile.SUMMARY_RANKS, QuantileSearchCriteria.INCLUSIVE);
    Map<String, Double> summary = new LinkedHashMap<>();
    for (int i = 0; i < quantiles.length; i++) {
      summary.put(FeatureProfile.SUMMARY_KEYS[i], quantiles[i]);
    }
    return new FeatureProfile(name, type(), count, nulls, nans, sketch.getN(),
        sketch.getMinItem(), sketch.getMaxItem(), ExactStatistics.mean(sum, sketch.getN()), summary,
        Base64.getEncoder().encodeToString(sketch.toByteArray()), null, null);
  }

  private String type() {
    if (declaredType != null) {
      return declaredType;
    }
    String element = sawDouble ? "double" : sawLong ? "long" : kind == Kind.CATEGORICAL ? "string" : null;
    return element == null ? null : list ? "list<" + element + ">" : element;
  }

  /** Compares strings by code point, the order of their UTF-8 bytes (see {@link ValueType#STRING}). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
