package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.Arrays;
import java.util.List;

/**
 * The named set of features a model consumes. Training sets and online requests ask for a service.
 *
 * @param name unique among services
 * @param features the features, in output column order
 * @param description free text, may be empty
 */
public record FeatureService(String name, List<FeatureReference> features, String description) {

  /** @throws InvalidDefinitionException if the name is malformed or the list is empty */
  public FeatureService {
    Names.identifier("feature service", name);
    features = Names.list(features);
    description = description == null ? "" : description;
    if (features.isEmpty()) {
      throw new InvalidDefinitionException(
          "Cannot define feature service '" + name + "': it lists no features");
    }
  }

  /** A service of these references ({@code view:feature} or {@code view:feature@vN}). */
  public static FeatureService of(String name, String... references) {
    return new FeatureService(
        name, Arrays.stream(references).map(FeatureReference::parse).toList(), "");
  }
}
