package dev.lockstep.server;

/**
 * A request the server answers with an error status and a one-line message, without logging: bad
 * JSON, a missing field, a body too large. Thrown inside the server only; {@link Failures} turns
 * it into the JSON error body.
 */
final class HttpProblem extends RuntimeException {
  private final int status;

  HttpProblem(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** A 400: the request cannot be read as written. */
  static HttpProblem badRequest(String message) {
    return new HttpProblem(400, message);
  }

  int status() {
    return status;
  }
}
