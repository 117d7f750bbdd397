package dev.lockstep.api.definition;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.Window;
import java.util.Objects;

/**
 * An aggregation of a source's events over a window ending at the query time (docs/architecture.md "Semantics": the head
 * is exact and exclusive, the tail hop-aligned).
 *
 * @param name the feature's name
 * @param version from 1
 * @param aggregation what to compute
 * @param window over which events
 */
public record WindowedFeature(String name, int version, Aggregation aggregation, Window window)
    implements FeatureDefinition {

  /** @throws InvalidDefinitionException if the name is malformed or the version below 1 */
  public WindowedFeature {
    Names.identifier("feature", name);
    Versions.check(name, version);
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(window, "window");
  }

  /** Version 1 of a windowed feature. */
  public static WindowedFeature of(String name, Aggregation aggregation, Window window) {
    return new WindowedFeature(name, 1, aggregation, window);
  }
}
