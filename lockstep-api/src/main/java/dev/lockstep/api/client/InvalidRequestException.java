package dev.lockstep.api.client;

import dev.lockstep.api.LockstepException;

/** A request that cannot be served as written: a missing join key, a value of the wrong type (HTTP 400). */
public class InvalidRequestException extends LockstepException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
