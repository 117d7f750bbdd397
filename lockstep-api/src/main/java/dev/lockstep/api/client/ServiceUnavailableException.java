package dev.lockstep.api.client;

import dev.lockstep.api.LockstepException;
import java.time.Duration;

/**
 * The platform cannot take the request now — it is shedding load (too many requests in flight, too
 * many acknowledged events not applied yet) or a stage it needs is stopped — and nothing of the
 * request took effect: send it again after {@link #retryAfter()} (HTTP 503 with {@code Retry-After}).
 */
public class ServiceUnavailableException extends LockstepException {
  private final Duration retryAfter;

  /** @param retryAfter how long to wait before trying again */
  public ServiceUnavailableException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** How long the caller should wait before sending the request again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
