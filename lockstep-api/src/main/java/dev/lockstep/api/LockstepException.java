package dev.lockstep.api;

/**
 * Base of every exception Lockstep throws on purpose. Messages are shaped as
 * {@code "Cannot <do X>: <reason> (<hint>)"} so that one line tells the user what to do.
 */
public class LockstepException extends RuntimeException {
  public LockstepException(String message) {
    super(message);
  }

  public LockstepException(String message, Throwable cause) {
    super(message, cause);
  }
}
