package dev.lockstep.api.client;

import java.util.List;
import java.util.Map;

/**
 * What a service calls to get feature vectors and push events. Two implementations behave the same:
 * the embedded client reads the online store in this process ({@code Lockstep.client()} in
 * lockstep-core), the remote client calls a Lockstep server over HTTP ({@code RemoteFeatureClient}
 * in lockstep-client).
 *
 * <pre>{@code
 * FeatureVector vector = client.features(FeatureRequest.forService("fraud_model", Map.of("card_id", "c-17")));
 * double ratio = (Double) vector.value("card_ratios__spend_ratio_7d_30d");
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface FeatureClient extends AutoCloseable {

  /**
   * The features of one entity at the serving time (see {@link FeatureVector#t()}).
   *
   * @throws dev.lockstep.api.LockstepException if the request names an unknown service, feature or
   *     key, or the store failed; the message says which
   */
  FeatureVector features(FeatureRequest request);

  /**
   * The features of many entities, in the order of {@code request.entities()}, all evaluated at one
   * serving time.
   *
   * @throws dev.lockstep.api.LockstepException as {@link #features(FeatureRequest)}
   */
  List<FeatureVector> features(BatchFeatureRequest request);

  /**
   * Pushes events of {@code source}: each a map from the source's column names to values (numbers,
   * strings, booleans; the event-time column as an ISO-8601 instant or epoch milliseconds). Returns
   * once every accepted event is durable; rows that do not fit the source are quarantined with
   * their reason, never dropped.
   *
   * @throws dev.lockstep.api.LockstepException if there is no such source, or nothing could be made
   *     durable (then nothing was acknowledged)
   */
  PushResult push(String source, List<Map<String, Object>> events);

  /** Releases the client's resources; the embedded client leaves the project open. */
  @Override
  void close();
}
