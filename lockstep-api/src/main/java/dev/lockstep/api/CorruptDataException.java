package dev.lockstep.api;

/**
 * Stored bytes cannot be read back: truncated, damaged, of an unknown format or of a newer format
 * version. Thrown instead of ever returning a wrong value.
 */
public class CorruptDataException extends LockstepException {
  public CorruptDataException(String message) {
    super(message);
  }

  public CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
