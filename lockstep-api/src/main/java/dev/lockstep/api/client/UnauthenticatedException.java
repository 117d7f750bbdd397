package dev.lockstep.api.client;

import dev.lockstep.api.LockstepException;

/**
 * A request without valid credentials to a server that requires them: no API key or token, an
 * unknown key, a token that is expired, badly signed or for another issuer or audience (HTTP 401).
 */
public class UnauthenticatedException extends LockstepException {
  public UnauthenticatedException(String message) {
    super(message);
  }
}
