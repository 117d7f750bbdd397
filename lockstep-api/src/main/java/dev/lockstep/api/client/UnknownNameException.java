package dev.lockstep.api.client;

import dev.lockstep.api.LockstepException;

/** A request names a feature service, feature, view or source that is not applied (HTTP 404). */
public class UnknownNameException extends LockstepException {
  public UnknownNameException(String message) {
    super(message);
  }
}
