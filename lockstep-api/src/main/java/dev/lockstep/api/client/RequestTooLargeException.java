package dev.lockstep.api.client;

/**
 * A request beyond a configured limit — too many entities in one batch read, too many events in one
 * push, a body or an answer too large (HTTP 413): split it into smaller requests.
 */
public class RequestTooLargeException extends InvalidRequestException {
  public RequestTooLargeException(String message) {
    super(message);
  }
}
