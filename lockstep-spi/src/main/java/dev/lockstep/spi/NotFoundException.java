package dev.lockstep.spi;

import dev.lockstep.api.LockstepException;

/**
 * A named object does not exist: a table, stream, snapshot, column or position that a call
 * requires. Messages name the object and where it was looked for, e.g. {@code "Cannot scan table
 * 'payments': no such table in iceberg (tables: users, merchants)"}.
 */
public class NotFoundException extends LockstepException {
  public NotFoundException(String message) {
    super(message);
  }
}
