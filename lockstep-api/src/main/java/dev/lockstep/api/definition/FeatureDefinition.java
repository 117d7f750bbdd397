package dev.lockstep.api.definition;

/**
 * One feature of a {@link FeatureView}: a windowed aggregation or a latest value. A feature is
 * identified by its name and version within its view; changing what a version means is refused once
 * a feature service uses it, so a changed meaning becomes a new version ({@code txn_count_1h@v2})
 * and older versions stay computable.
 */
public sealed interface FeatureDefinition permits WindowedFeature, LatestFeature {

  /** The feature's name, unique with its version within the view. */
  String name();

  /** The version, from 1. */
  int version();

  /** {@code name} for version 1, otherwise {@code name@vN}. */
  default String versionedName() {
    return version() == 1 ? name() : name() + "@v" + version();
  }
}
