package dev.lockstep.server;

/**
 * A complete response, built before anything is sent, so that a failure half-way through writing
 * still becomes a clean error response.
 */
record Response(int status, String contentType, byte[] body) {
  static final String JSON = "application/json";

  static Response json(int status, byte[] body) {
    return new Response(status, JSON, body);
  }

  static Response ok(byte[] body) {
    return json(200, body);
  }
}
