package dev.lockstep.spi;

import dev.lockstep.api.LockstepException;

/**
 * A backend failed to do what it was asked, and nothing took effect: the call may be retried.
 * Backends wrap their I/O and client errors in it, with a message naming the backend and the
 * operation, e.g. {@code "Cannot append to stream 'payments' on kafka: broker unreachable (check
 * bootstrap.servers)"}. When a write may have taken effect, throw {@link OutcomeUnknownException}
 * instead.
 */
public class BackendException extends LockstepException {
  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
