package dev.lockstep.core.drift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lockstep.api.CorruptDataException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The profile of one feature column's values: counts, and the distribution of its values as a KLL
 * quantile sketch (numeric features) or as counts of its most frequent values (categorical ones).
 * Built by {@link ValueProfiler}; see {@code docs/monitoring.md} for the rules.
 *
 * <p>Observations: every row is one observation of its value. A null value is counted in {@code
 * nulls}; a NaN in {@code nans} (and in no quantile, min, max or mean); every other value is one of
 * {@code values}, the distribution's values. A list feature ({@code first_k}, {@code last_k}) is
 * profiled over its elements: a null list is one null, each non-null element of a list is one of
 * {@code values} (or of {@code nans}), and null elements are skipped. So {@code nulls + nans +
 * values} is the number of observations, which is {@code count} for a feature that is not a list.
 *
 * @param name the column, {@code view__feature}
 * @param type {@code long}, {@code double}, {@code string}, {@code list<long>}, ...; null if no
 *     value told it (a served feature that was always null)
 * @param count the rows profiled
 * @param nulls the rows whose value is null
 * @param nans the NaN values (numeric features only)
 * @param values the values in the distribution: neither null nor NaN
 * @param min the smallest value; null if categorical or no values
 * @param max the largest value; null if categorical or no values
 * @param mean the mean of the values, rounded once from an exact sum; null if categorical or no
 *     values
 * @param quantiles the sketch's quantiles at ranks 0, .01, .05, .25, .5, .75, .95, .99 and 1 (keys
 *     {@code "0"}, {@code "0.01"}, ...; inclusive search); null if categorical or no values
 * @param sketch the KLL sketch of the values ({@code KllDoublesSketch.toByteArray()}, base64); null
 *     if categorical or no values
 * @param categories the most frequent values and their exact counts, most frequent first (ties in
 *     code-point order of the value); null if numeric
 * @param other the values not in {@code categories}; null if numeric
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureProfile(
    String name,
    String type,
    long count,
    long nulls,
    long nans,
    long values,
    Double min,
    Double max,
    Double mean,
    Map<String, Double> quantiles,
    String sketch,
    Map<String, Long> categories,
    Long other) {

  /** The ranks of {@link #quantiles}, with their keys. */
  static final double[] SUMMARY_RANKS = {0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1};

  static final String[] SUMMARY_KEYS = {"0", "0.01", "0.05", "0.25", "0.5", "0.75", "0.95", "0.99", "1"};

  public FeatureProfile {
    quantiles = quantiles == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(quantiles));
    categories = categories == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(categories));
  }

  /** Whether the values are numbers (a quantile sketch) rather than categories. */
  @JsonIgnore
  public boolean numeric() {
    return categories == null;
  }

  /** {@code nulls / count}, 0 when nothing was profiled. */
  @JsonProperty("null_fraction")
  public double nullFraction() {
    return count == 0 ? 0 : (double) nulls / count;
  }

  /** The observations of the distribution: {@code nulls + nans + values}. */
  @JsonIgnore
  public long observations() {
    return nulls + nans + values;
  }

  /**
   * The KLL sketch of the values, read from {@link #sketch}: ask it ranks, CDFs and quantiles
   * exactly as when it was built.
   *
   * @return a new heap sketch; an empty one if there are no values or the feature is categorical
   * @throws CorruptDataException if the stored bytes are not a KLL doubles sketch
   */
  public KllDoublesSketch kllSketch() {
    if (sketch == null) {
      return KllDoublesSketch.newHeapInstance(ValueProfiler.K);
    }
    try {
      return KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(sketch)));
    } catch (RuntimeException e) {
      throw new CorruptDataException(
          "Cannot read the profile of '" + name + "': its sketch is not a KLL doubles sketch (" + e.getMessage() + ")", e);
    }
  }
}
