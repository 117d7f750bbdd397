package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.time.Duration;
import java.util.Optional;

/**
 * The value of one column in the entity's latest source row before the query time (docs/architecture.md, "Semantics"): the
 * row with the greatest event time {@code < t}, ties broken by ingest time and sequence. The row's
 * value is returned even when it is null. If {@code t - event_time > ttl}, the value is null with
 * status {@code EXPIRED}.
 *
 * @param name the feature's name
 * @param version from 1
 * @param column the source column to read
 * @param ttl how long a row stays valid; empty for forever
 */
public record LatestFeature(String name, int version, String column, Optional<Duration> ttl)
    implements FeatureDefinition {

  /** @throws InvalidDefinitionException if a name is malformed or the TTL is not positive */
  public LatestFeature {
    Names.identifier("feature", name);
    Versions.check(name, version);
    Names.column("column of feature " + name, column);
    ttl = ttl == null ? Optional.empty() : ttl;
    if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
      throw new InvalidDefinitionException(
          "Cannot define feature '" + name + "': its ttl " + ttl.get() + " is not positive");
    }
  }

  /** Version 1 of a latest-value feature. */
  public static LatestFeature of(String name, String column, Duration ttl) {
    return new LatestFeature(name, 1, column, Optional.ofNullable(ttl));
  }
}
