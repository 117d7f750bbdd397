package dev.lockstep.api.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request for one entity's features: either every feature of a feature service, or a list of
 * feature references ({@code view:feature} or {@code view:feature@vN}).
 *
 * @param service the feature service, or empty when {@code features} lists the features
 * @param features feature references; empty when a service is named
 * @param entity the entity's join keys and their values, e.g. {@code {"card_id": "c-17"}}
 * @param context request fields passed to on-demand features (e.g. the amount being authorized)
 */
public record FeatureRequest(
    Optional<String> service,
    List<String> features,
    Map<String, Object> entity,
    Map<String, Object> context) {

  /**
   * @throws IllegalArgumentException unless exactly one of {@code service} and {@code features} is
   *     given, or if {@code entity} is empty
   */
  public FeatureRequest {
    Objects.requireNonNull(service, "service");
    features = List.copyOf(features);
    entity = Collections2.copy(entity);
    context = Collections2.copy(context);
    if (service.isPresent() == !features.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot request features: name either a feature service or a list of features, not both or neither");
    }
    if (entity.isEmpty()) {
      throw new IllegalArgumentException("Cannot request features: the entity has no join keys (e.g. {\"card_id\": \"c-17\"})");
    }
  }

  /** Every feature of {@code service} for {@code entity}. */
  public static FeatureRequest forService(String service, Map<String, Object> entity) {
    return new FeatureRequest(Optional.of(service), List.of(), entity, Map.of());
  }

  /** The listed {@code features} for {@code entity}. */
  public static FeatureRequest forFeatures(List<String> features, Map<String, Object> entity) {
    return new FeatureRequest(Optional.empty(), features, entity, Map.of());
  }

  /** This request with {@code context} as its request fields. */
  public FeatureRequest withContext(Map<String, Object> context) {
    return new FeatureRequest(service, features, entity, context);
  }

  /** Null-tolerant, order-keeping unmodifiable copies (request values may be null). */
  static final class Collections2 {
    private Collections2() {}

    static Map<String, Object> copy(Map<String, Object> map) {
      return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
  }
}
