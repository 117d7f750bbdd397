package dev.lockstep.registry;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.List;

/**
 * A plan cannot be applied because it changes or removes feature versions that feature services
 * use. Nothing was committed. The message's first line says so; each refusal follows on its own
 * line, with its hint.
 */
public final class ChangeRefusedException extends InvalidDefinitionException {
  private final List<String> refusals;

  ChangeRefusedException(long baseVersion, List<String> refusals) {
    super("Cannot apply the plan against registry version " + baseVersion + ": "
        + refusals.size() + (refusals.size() == 1 ? " change is" : " changes are")
        + " refused (declare changed meanings as new versions, then plan again)\n"
        + String.join("\n", refusals));
    this.refusals = List.copyOf(refusals);
  }

  /** The refused changes, one line each. */
  public List<String> refusals() {
    return refusals;
  }
}
