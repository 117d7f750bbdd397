package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.Optional;

/**
 * A reference to a feature from a feature service or an on-demand view: {@code view:feature} for
 * the feature's highest version when the registry is applied, or {@code view:feature@v2} for a
 * pinned version.
 *
 * @param view the feature view or on-demand view
 * @param feature the feature's name
 * @param version the pinned version, or empty for the highest
 */
public record FeatureReference(String view, String feature, Optional<Integer> version) {

  public FeatureReference {
    Names.identifier("feature view", view);
    Names.identifier("feature", feature);
    version = version == null ? Optional.empty() : version;
    version.ifPresent(v -> Versions.check(feature, v));
  }

  /**
   * Reads {@code view:feature} or {@code view:feature@vN}.
   *
   * @throws InvalidDefinitionException if the text is not of that shape
   */
  public static FeatureReference parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0) {
      throw new InvalidDefinitionException(
          "Cannot read feature reference '" + text + "': write it as view:feature or view:feature@v2");
    }
    String view = text.substring(0, colon);
    String rest = text.substring(colon + 1);
    int at = rest.indexOf('@');
    if (at < 0) {
      return new FeatureReference(view, rest, Optional.empty());
    }
    return new FeatureReference(
        view, rest.substring(0, at), Optional.of(Versions.parse(text, rest.substring(at + 1))));
  }

  /** This reference pinned to {@code version}. */
  public FeatureReference withVersion(int version) {
    return new FeatureReference(view, feature, Optional.of(version));
  }

  /** The output column: {@code view__feature}. */
  public String columnName() {
    return view + "__" + feature;
  }

  /** {@code view:feature} or {@code view:feature@vN}, as parsed. */
  @Override
  public String toString() {
    return view + ":" + feature + version.map(v -> "@v" + v).orElse("");
  }
}
