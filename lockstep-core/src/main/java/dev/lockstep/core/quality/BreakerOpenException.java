package dev.lockstep.core.quality;

import dev.lockstep.api.LockstepException;

/** Refused because the source's circuit breaker is open: nothing of the refused write was acknowledged. */
public final class BreakerOpenException extends LockstepException {
  private final String source;

  public BreakerOpenException(String source, String message) {
    super(message);
    this.source = source;
  }

  public String source() {
    return source;
  }
}
