package dev.lockstep.spi;

/**
 * A write may or may not have taken effect, for example when a commit timed out after it was sent.
 * Unlike a plain {@link BackendException}, blindly retrying may apply the write twice: the caller
 * must first read the state back (the registry's current version, the online store's checkpoint,
 * the event log's end positions) and decide. Never swallow it.
 */
public class OutcomeUnknownException extends BackendException {
  public OutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
