package dev.lockstep.ops.parity;

import dev.lockstep.api.client.FeatureVector;
import java.time.Instant;
import java.util.Objects;

/**
 * One served vector as read back from a feature log table (see {@link FeatureLogger}).
 *
 * @param registryVersion the registry version it was served at
 * @param sequence its sequence in the log table
 * @param loggedAt when it was appended to the log table
 * @param vector the vector exactly as served: entity, {@code t}, values and statuses
 */
public record LoggedVector(long registryVersion, long sequence, Instant loggedAt, FeatureVector vector) {
  public LoggedVector {
    Objects.requireNonNull(loggedAt, "loggedAt");
    Objects.requireNonNull(vector, "vector");
  }
}
