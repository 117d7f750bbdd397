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
 * @param features the features, each (name, version) once
 * @param description free text, may be empty
 */
public record FeatureView(
    String name,
    String source,
    Optional<String> filter,
    List<FeatureDefinition> features,
    String description) {

  /** @throws InvalidDefinitionException if a name is malformed or a feature version repeats */
  public FeatureView {
    Names.identifier("feature view", name);
    Names.identifier("source of feature view " + name, source);
    filter = filter == null ? Optional.empty() : filter.filter(text -> !text.isBlank());
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

  /** A builder for a view named {@code name} over {@code source}. */
  public static Builder builder(String name, String source) {
    return new Builder(name, source);
  }

  /** Builds a {@link FeatureView}; every method returns this builder. */
  public static final class Builder {
    private final String name;
    private final String source;
    private String filter;
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

    /** @throws InvalidDefinitionException if a name is malformed or a feature version repeats */
    public FeatureView build() {
      return new FeatureView(name, source, Optional.ofNullable(filter), features, description);
    }
  }
}
