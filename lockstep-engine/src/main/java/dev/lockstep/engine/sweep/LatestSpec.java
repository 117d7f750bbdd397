package dev.lockstep.engine.sweep;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.Objects;

/**
 * A latest-value feature to evaluate: an output name, the column to read and a TTL.
 *
 * @param name the output name
 * @param column the column whose latest value is returned
 * @param ttlMillis how long a row stays valid, or {@code -1} for forever
 */
public record LatestSpec(String name, String column, long ttlMillis) {

  /** @throws InvalidDefinitionException if the TTL is 0 or below -1 */
  public LatestSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(column, "column");
    if (ttlMillis == 0 || ttlMillis < -1) {
      throw new InvalidDefinitionException(
          "Cannot define latest-value feature '" + name + "': ttl " + ttlMillis + " ms is not positive");
    }
  }
}
