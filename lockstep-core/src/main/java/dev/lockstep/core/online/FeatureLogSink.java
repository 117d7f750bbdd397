package dev.lockstep.core.online;

import dev.lockstep.api.client.FeatureVector;
import java.util.List;
import java.util.Map;

/**
 * Receives every vector served for a feature service, with the request fields its on-demand views
 * read ({@link FeatureLogger} keeps them for {@link Replay}). Called on serving threads: an
 * implementation must be thread-safe and only hand the vectors off.
 */
@FunctionalInterface
public interface FeatureLogSink {
  /** A sink that keeps nothing. */
  FeatureLogSink NONE = (service, vectors, requestFields) -> {};

  /**
   * @param requestFields the request fields the service's on-demand views read, as the request sent
   *     them (the same for every vector of a batch); empty when it has none
   */
  void log(String service, List<FeatureVector> vectors, Map<String, Object> requestFields);
}
