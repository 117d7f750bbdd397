package dev.lockstep.spi;

import dev.lockstep.api.LockstepException;

/**
 * An object cannot be created because one with the same identity exists, e.g. {@code "Cannot create
 * table 'payments': it already exists in iceberg"}. Nothing was changed.
 */
public class AlreadyExistsException extends LockstepException {
  public AlreadyExistsException(String message) {
    super(message);
  }
}
