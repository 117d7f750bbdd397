package dev.lockstep.io;

import dev.lockstep.api.LockstepException;

/**
 * A data file cannot be read or written as declared: it lacks a declared column, a column has a
 * type the declaration cannot read, the file is malformed as a whole, or the file system failed.
 * Problems of single rows of a source file are not thrown but reported as {@link
 * ParsedRecord.Rejected} records.
 */
public final class DataFileException extends LockstepException {
  public DataFileException(String message) {
    super(message);
  }

  public DataFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
