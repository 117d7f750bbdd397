package dev.lockstep.spi;

import dev.lockstep.api.LockstepException;
import java.util.Objects;

/**
 * A backend was asked for an optional operation or capability it does not have. The message is
 * exactly {@code "<Backend> does not support <operation>"}, optionally followed by {@code "
 * (<hint>)"}, where {@code <Backend>} is the backend's {@link Backend#displayName()}.
 */
public class UnsupportedBackendOperationException extends LockstepException {
  private final String backend;
  private final String operation;

  private UnsupportedBackendOperationException(String backend, String operation, String hint) {
    super(backend + " does not support " + operation + (hint == null ? "" : " (" + hint + ")"));
    this.backend = backend;
    this.operation = operation;
  }

  /**
   * The exception for {@code backend} lacking {@code operation}, e.g. {@code "snapshot reads"}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static UnsupportedBackendOperationException of(Backend backend, String operation) {
    return new UnsupportedBackendOperationException(
        backend.displayName(), Objects.requireNonNull(operation, "operation"), null);
  }

  /**
   * As {@link #of(Backend, String)}, with a hint that tells the user what to do instead, e.g.
   * {@code "use an offline store with snapshot reads, such as iceberg"}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static UnsupportedBackendOperationException of(
      Backend backend, String operation, String hint) {
    return new UnsupportedBackendOperationException(
        backend.displayName(),
        Objects.requireNonNull(operation, "operation"),
        Objects.requireNonNull(hint, "hint"));
  }

  /** The display name of the backend that lacks the operation. */
  public String backend() {
    return backend;
  }

  /** The operation that is not supported, as it appears in the message. */
  public String operation() {
    return operation;
  }
}
