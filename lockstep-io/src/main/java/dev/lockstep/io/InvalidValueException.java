package dev.lockstep.io;

import dev.lockstep.api.LockstepException;

/**
 * A single value cannot be read as the type asked for, for example a spine's timestamp or key. The
 * {@link #reason()} is one line without context, such as {@code '2026-13-01' is not a timestamp
 * (use ISO-8601 such as 2026-01-31T10:00:00Z)}, for the caller to prefix with the file, row and
 * column.
 */
public final class InvalidValueException extends LockstepException {
  private final String reason;

  public InvalidValueException(String reason) {
    super("Cannot read value: " + reason);
    this.reason = reason;
  }

  /** What is wrong with the value, with a hint; one line. */
  public String reason() {
    return reason;
  }
}
