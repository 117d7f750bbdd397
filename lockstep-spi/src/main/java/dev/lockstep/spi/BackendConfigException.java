package dev.lockstep.spi;

import dev.lockstep.api.LockstepException;

/**
 * A backend cannot be loaded or configured from the properties given: an unknown backend name, a
 * missing property or a malformed value. The message is one line naming the backend and the
 * property; values of secret properties appear as {@code ****}.
 */
public class BackendConfigException extends LockstepException {
  public BackendConfigException(String message) {
    super(message);
  }
}
