package dev.lockstep.definition;

import java.util.Objects;

/**
 * One problem of a feature repository, printed on one line as {@code file:line: Cannot ...: reason
 * (hint)}.
 *
 * @param location where the offending definition or field was written
 * @param message {@code Cannot <do X>: <reason> (<hint>)}, one line
 */
public record DefinitionProblem(Location location, String message) {

  public DefinitionProblem {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  /** {@code location: message}. */
  @Override
  public String toString() {
    return location + ": " + message;
  }
}
