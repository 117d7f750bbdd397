package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonParser;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The body of a POST: its content type checked, its size bounded by {@link
 * LockstepServer#MAX_BODY_BYTES}, read as a stream by the JSON parser (never buffered whole).
 * Must be used on a worker thread after {@code exchange.startBlocking()}.
 */
final class RequestBody {
  private RequestBody() {}

  /** The media types a body may declare; none at all is taken as JSON too. */
  enum Kind { JSON, NDJSON }

  /**
   * The kind of body {@code exchange} declares.
   *
   * @throws HttpProblem 415 for a content type that is not JSON or NDJSON, or a charset other than UTF-8
   */
  static Kind kind(HttpServerExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (header == null || header.isBlank()) {
      return Kind.JSON;
    }
    String[] parts = header.toLowerCase(Locale.ROOT).split(";");
    String type = parts[0].trim();
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.startsWith("charset=")) {
        String charset = parameter.substring("charset=".length()).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw new HttpProblem(415, "Cannot read the request: charset " + Json.abbreviate(charset)
              + " is not supported (send UTF-8)");
        }
      }
    }
    switch (type) {
      case "application/x-ndjson":
      case "application/ndjson":
      case "application/jsonl":
      case "application/x-jsonlines":
        return Kind.NDJSON;
      case "application/json":
      case "text/json":
      case "text/plain":
      // what `curl -d` sends unless told otherwise; the body is read as JSON all the same
      case "application/x-www-form-urlencoded":
        return Kind.JSON;
      default:
        if (type.startsWith("application/") && type.endsWith("+json")) {
          return Kind.JSON;
        }
        throw new HttpProblem(415, "Cannot read the request: content type " + Json.abbreviate(type)
            + " is not supported (send application/json, or application/x-ndjson to push)");
    }
  }

  /**
   * A parser over the body.
   *
   * @throws HttpProblem 413 if the declared length is over the limit; reading past the limit
   *     throws it from the parser's reads
   */
  static JsonParser parser(HttpServerExchange exchange) throws IOException {
    long declared = exchange.getRequestContentLength();
    if (declared > LockstepServer.MAX_BODY_BYTES) {
      throw tooLarge(exchange);
    }
    return Json.FACTORY.createParser(new Bounded(exchange.getInputStream(), exchange));
  }

  private static HttpProblem tooLarge(HttpServerExchange exchange) {
    // the rest of the body stays unread: close the connection after answering
    exchange.setPersistent(false);
    return new HttpProblem(413, "Cannot read the request: the body is larger than "
        + (LockstepServer.MAX_BODY_BYTES >> 20) + " MiB (split the push into smaller batches)");
  }

  /** Fails as soon as more than the limit has been read. */
  private static final class Bounded extends FilterInputStream {
    private final HttpServerExchange exchange;
    private long remaining = LockstepServer.MAX_BODY_BYTES;

    Bounded(InputStream in, HttpServerExchange exchange) {
      super(in);
      this.exchange = exchange;
    }

    @Override
    public int read() throws IOException {
      int value = super.read();
      if (value >= 0) {
        count(1);
      }
      return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      // ask for one byte past the limit at most, so that the limit itself is allowed
      int read = super.read(buffer, offset, (int) Math.min(length, remaining + 1));
      if (read > 0) {
        count(read);
      }
      return read;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, remaining + 1));
      count(skipped);
      return skipped;
    }

    private void count(long read) {
      remaining -= read;
      if (remaining < 0) {
        throw tooLarge(exchange);
      }
    }
  }
}
