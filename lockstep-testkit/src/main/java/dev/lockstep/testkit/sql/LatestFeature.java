package dev.lockstep.testkit.sql;

import java.time.Duration;
import java.util.Objects;

/**
 * A latest-value feature: the value of {@code column} in the entity's newest row before {@code t}.
 *
 * @param name the output column name
 * @param column the value column read; the newest row's value is returned even when it is null
 * @param ttl the value is null when {@code t − event_time > ttl}; null means it never expires
 */
public record LatestFeature(String name, String column, Duration ttl) {
  public LatestFeature {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(column, "column");
    if (ttl != null && (ttl.isNegative() || ttl.getNano() % 1_000_000 != 0)) {
      throw new IllegalArgumentException(
          "Cannot define latest-value feature " + name + " with TTL " + ttl
              + ": it must be a non-negative whole number of milliseconds");
    }
  }
}
