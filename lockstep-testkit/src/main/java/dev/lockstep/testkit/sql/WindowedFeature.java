package dev.lockstep.testkit.sql;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.Window;
import java.util.Objects;

/**
 * A windowed aggregation to evaluate at every spine row.
 *
 * @param name the output column name
 * @param aggregation the function and the value column it reads
 * @param window which events of the entity it sees at {@code t}
 */
public record WindowedFeature(String name, Aggregation aggregation, Window window) {
  public WindowedFeature {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(window, "window");
  }
}
