package dev.lockstep.engine.sweep;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.Window;
import java.util.Objects;

/**
 * One windowed feature to evaluate: its output name, aggregation and window.
 *
 * @param name the feature's name, unique within a sweep
 * @param aggregation what to compute, over which column
 * @param window which events of the entity it sees at time {@code t}
 */
public record FeatureSpec(String name, Aggregation aggregation, Window window) {
  public FeatureSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(window, "window");
  }
}
