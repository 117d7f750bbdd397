package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonParser;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.Locale;

/**
 * The body of a POST: its content type checked (JSON or NDJSON; a body a browser form or a
 * cross-site {@code fetch} can send without a CORS preflight — text/plain, form data — is refused,
 * so no web page can push events or reset a breaker on a user's behalf), and a parser over its
 * bytes, which the router read (bounded) before the endpoint runs.
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
        return Kind.JSON;
      default:
        if (type.startsWith("application/") && type.endsWith("+json")) {
          return Kind.JSON;
        }
        throw new HttpProblem(415, "Cannot read the request: content type " + Json.abbreviate(type)
            + " is not supported (send Content-Type: application/json, or application/x-ndjson to push;"
            + " with curl: -H 'Content-Type: application/json')");
    }
  }

  /** A parser over {@code body}. */
  static JsonParser parser(byte[] body) throws IOException {
    return dev.lockstep.wire.WireJson.FACTORY.createParser(body);
  }

  /** The message of a body over {@code maxBytes}. */
  static String tooLarge(String operation, long maxBytes) {
    return "Cannot " + operation + ": the body is larger than " + (maxBytes >> 20)
        + " MiB (split the request into smaller batches)";
  }
}
