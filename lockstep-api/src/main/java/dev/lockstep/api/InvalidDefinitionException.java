package dev.lockstep.api;

/** A feature definition is not valid: nothing built from it may be applied or computed. */
public class InvalidDefinitionException extends LockstepException {
  public InvalidDefinitionException(String message) {
    super(message);
  }
}
