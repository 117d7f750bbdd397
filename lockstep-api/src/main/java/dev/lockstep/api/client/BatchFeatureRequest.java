package dev.lockstep.api.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request for the same features of many entities, evaluated at one serving time.
 *
 * @param service the feature service, or empty when {@code features} lists the features
 * @param features feature references; empty when a service is named
 * @param entities each entity's join keys and values
 * @param context request fields passed to on-demand features, the same for every entity
 */
public record BatchFeatureRequest(
    Optional<String> service,
    List<String> features,
    List<Map<String, Object>> entities,
    Map<String, Object> context) {

  /**
   * @throws IllegalArgumentException unless exactly one of {@code service} and {@code features} is
   *     given, or if {@code entities} is empty
   */
  public BatchFeatureRequest {
    Objects.requireNonNull(service, "service");
    features = List.copyOf(features);
    entities = entities.stream().map(FeatureRequest.Collections2::copy).toList();
    context = FeatureRequest.Collections2.copy(context);
    if (service.isPresent() == !features.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot request features: name either a feature service or a list of features, not both or neither");
    }
    if (entities.isEmpty()) {
      throw new IllegalArgumentException("Cannot request features: the batch names no entity");
    }
  }

  /** Every feature of {@code service} for each of {@code entities}. */
  public static BatchFeatureRequest forService(String service, List<Map<String, Object>> entities) {
    return new BatchFeatureRequest(Optional.of(service), List.of(), entities, Map.of());
  }

  /** The request for the {@code index}-th entity alone. */
  public FeatureRequest single(int index) {
    return new FeatureRequest(service, features, entities.get(index), context);
  }
}
