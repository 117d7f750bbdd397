package dev.lockstep.api.definition;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Features computed from one source, for the source's entity. Output columns are named {@code
 * <view>__<feature>}.
 *
 * @param name unique among feature views and on-demand views
 * @param source the source the features read
 * @param filter a condition rows must meet to count, e.g. {@code amount > 0}; empty for all rows
 * @param freshness how old the online state of the view may be before its served features get
 *     status {@code STALE}; empty for no bound. It does not change values
 * @param maxLateness how late an event may arrive ({@code ingest_time - event_time}) and still
 *     count for the view's features; empty to count every late event. See {@link #accepts}
 * @param features the features, each (name, version) once
 * @param description free text, may be empty
 */
public record FeatureView(
    String name,
    String source,
    Optional<String> filter,
    Optional<Duration> freshness,
    Optional<Duration> maxLateness,
    List<FeatureDefinition> features,
    String description) {

  /**
   * @throws InvalidDefinitionException if a name is malformed, a feature version repeats, or the
   *     freshness or max lateness is not a positive whole number of milliseconds
   */
  public FeatureView {
    Names.identifier("feature view", name);
    Names.identifier("source of feature view " + name, source);
    filter = filter == null ? Optional.empty() : filter.filter(text -> !text.isBlank());
    freshness = checkedDuration(name, "freshness", freshness);
    maxLateness = checkedDuration(name, "max_lateness", maxLateness);
    features = Names.list(features);
    description = description == null ? "" : description;
    Set<String> seen = new HashSet<>();
    for (FeatureDefinition feature : features) {
      if (!seen.add(feature.versionedName())) {
        throw new InvalidDefinitionException(
            "Cannot define feature view '"
                + name
                + "': feature '"
                + feature.versionedName()
                + "' is defined twice (give the new meaning a new version, e.g. "
                + feature.name()
                + "@v"
                + (feature.version() + 1)
                + ")");
      }
    }
  }

  /**
   * Whether an event counts for this view's features, given when it happened and when Lockstep
   * accepted it: false exactly when the view declares a max lateness and {@code ingestTimeMillis -
   * eventTimeMillis > maxLateness} (computed without overflow). An event exactly max lateness late
   * is accepted, and so is one ingested before its event time.
   *
   * <p>This is the single lateness rule of Lockstep: the streaming runtime drops (and counts) the
   * events it rejects before they reach the view's online state, and training sets leave the same
   * events out of the view's features in both point-in-time modes, so that training and serving
   * see exactly the same events.
   *
   * @param eventTimeMillis the event's event time, epoch milliseconds
   * @param ingestTimeMillis the event's ingest time, epoch milliseconds
   */
  public boolean accepts(long eventTimeMillis, long ingestTimeMillis) {
    if (maxLateness.isEmpty() || ingestTimeMillis <= eventTimeMillis) {
      return true;
    }
    // ingest > event, so the difference read as unsigned is exact even where a long overflows
    return Long.compareUnsigned(ingestTimeMillis - eventTimeMillis, maxLateness.get().toMillis())
        <= 0;
  }

  /** A copy of this view with {@code features} instead of its own. */
  public FeatureView withFeatures(List<FeatureDefinition> features) {
    return new FeatureView(name, source, filter, freshness, maxLateness, features, description);
  }

  /** The feature of this name and version, if defined. */
  public Optional<FeatureDefinition> feature(String name, int version) {
    return features.stream()
        .filter(feature -> feature.name().equals(name) && feature.version() == version)
        .findFirst();
  }

  /** The highest version of the feature named {@code name}, if any version is defined. */
  public Optional<FeatureDefinition> latestVersion(String name) {
    FeatureDefinition best = null;
    for (FeatureDefinition feature : features) {
      if (feature.name().equals(name) && (best == null || feature.version() > best.version())) {
        best = feature;
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<Duration> checkedDuration(
      String view, String key, Optional<Duration> duration) {
    if (duration == null || duration.isEmpty()) {
      return Optional.empty();
    }
    Duration value = duration.get();
    if (value.isNegative() || value.isZero() || value.getNano() % 1_000_000 != 0) {
      throw new InvalidDefinitionException(
          "Cannot define feature view '"
              + view
              + "': its "
              + key
              + " "
              + value
              + " is not a positive whole number of milliseconds (e.g. 10m, 1h)");
    }
    return duration;
  }

  /** A builder for a view named {@code name} over {@code source}. */
  public static Builder builder(String name, String source) {
    return new Builder(name, source);
  }

  /** Builds a {@link FeatureView}; every method returns this builder. */
  public static final class Builder {
    private final String name;
    private final String source;
    private String filter;
    private Duration freshness;
    private Duration maxLateness;
    private String description = "";
    private final List<FeatureDefinition> features = new ArrayList<>();

    private Builder(String name, String source) {
      this.name = name;
      this.source = source;
    }

    public Builder filter(String filter) {
      this.filter = filter;
      return this;
    }

    /** The freshness bound of the view's served features; null for none. */
    public Builder freshness(Duration freshness) {
      this.freshness = freshness;
      return this;
    }

    /** How late an event may arrive and still count ({@link FeatureView#accepts}); null: any. */
    public Builder maxLateness(Duration maxLateness) {
      this.maxLateness = maxLateness;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Adds version 1 of a windowed feature. */
    public Builder aggregate(String feature, Aggregation aggregation, Window window) {
      return feature(WindowedFeature.of(feature, aggregation, window));
    }

    /** Adds version 1 of a latest-value feature; a null {@code ttl} never expires. */
    public Builder latest(String feature, String column, Duration ttl) {
      return feature(LatestFeature.of(feature, column, ttl));
    }

    public Builder feature(FeatureDefinition feature) {
      features.add(feature);
      return this;
    }

    /**
     * @throws InvalidDefinitionException if a name is malformed, a feature version repeats, or a
     *     duration is not positive
     */
    public FeatureView build() {
      return new FeatureView(name, source, Optional.ofNullable(filter),
          Optional.ofNullable(freshness), Optional.ofNullable(maxLateness), features, description);
    }
  }
}
