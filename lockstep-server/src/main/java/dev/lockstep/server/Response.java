package dev.lockstep.server;

/**
 * A complete response, built before anything is sent, so that a failure half-way through writing
 * still becomes a clean error response.
 *
 * @param retryAfterSeconds the {@code Retry-After} header's seconds; 0 for none
 */
record Response(int status, String contentType, byte[] body, int retryAfterSeconds) {
  static final String JSON = "application/json";

  Response(int status, String contentType, byte[] body) {
    this(status, contentType, body, 0);
  }

  /** This response telling the client to try again in {@code seconds}. */
  Response withRetryAfter(int seconds) {
    return new Response(status, contentType, body, seconds);
  }

  static Response json(int status, byte[] body) {
    return new Response(status, JSON, body);
  }

  static Response ok(byte[] body) {
    return json(200, body);
  }
}
