package dev.lockstep.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.UnsupportedBackendOperationException;
import dev.lockstep.api.client.RequestTooLargeException;
import dev.lockstep.api.client.ServiceUnavailableException;
import dev.lockstep.api.InvalidDefinitionException;
import java.io.CharConversionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what an endpoint threw into the JSON error {@code {"error": "<one line>", "status": code}}.
 *
 * <table>
 *   <caption>Status by failure</caption>
 *   <tr><td>{@link HttpProblem}</td><td>its status (400, 404, 413, 415)</td></tr>
 *   <tr><td>malformed JSON, {@link InvalidRequestException}, {@link InvalidDefinitionException}</td><td>400</td></tr>
 *   <tr><td>{@link UnknownNameException}</td><td>404</td></tr>
 *   <tr><td>{@link RequestTooLargeException}</td><td>413</td></tr>
 *   <tr><td>{@link UnsupportedBackendOperationException}</td><td>501</td></tr>
 *   <tr><td>{@link ServiceUnavailableException} (load shed, or a stage stopped; nothing took effect),
 *       with {@code Retry-After}</td><td>503</td></tr>
 *   <tr><td>{@link BackendException} (nothing took effect; retry later)</td><td>503</td></tr>
 *   <tr><td>{@link dev.lockstep.core.quality.BreakerOpenException} (the source's circuit breaker is open; nothing was acknowledged)</td><td>503</td></tr>
 *   <tr><td>{@link OutcomeUnknownException}, {@link CorruptDataException}, {@link BackendConfigException},
 *       other {@link LockstepException}s (a server-side failure), anything else</td><td>500</td></tr>
 * </table>
 *
 * Unexpected failures (500 but for a known outcome-unknown) are logged to stderr with their stack
 * trace, once per kind of failure (exception class and throwing frame); later ones of the same
 * kind take one line. The response carries the message, never the trace.
 */
final class Failures {
  /** Bounds the memory of which failures were already logged in full. */
  private static final int MAX_REMEMBERED = 1_000;

  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private Failures() {}

  /** The error response for {@code failure} of {@code operation} ("get features"). */
  static Response response(String operation, Throwable failure) {
    if (failure instanceof HttpProblem) {
      return error(((HttpProblem) failure).status(), failure.getMessage());
    }
    if (failure instanceof dev.lockstep.api.client.UnauthenticatedException) {
      return error(401, failure.getMessage());
    }
    if (failure instanceof UnknownNameException) {
      return error(404, failure.getMessage());
    }
    if (failure instanceof RequestTooLargeException) {
      return error(413, failure.getMessage());
    }
    if (failure instanceof ServiceUnavailableException unavailable) {
      long seconds = Math.max(1, (unavailable.retryAfter().toMillis() + 999) / 1000);
      return error(503, failure.getMessage()).withRetryAfter((int) Math.min(3600, seconds));
    }
    if (failure instanceof JsonProcessingException) {
      return error(400, malformed((JsonProcessingException) failure));
    }
    if (failure instanceof CharConversionException) {
      return error(400, "Cannot read the request: the body is not UTF-8 text (" + failure.getMessage() + ")");
    }
    if (failure instanceof UnsupportedBackendOperationException) {
      return error(501, failure.getMessage());
    }
    if (failure instanceof OutcomeUnknownException) {
      return error(500, failure.getMessage());
    }
    if (failure instanceof BackendException) {
      return error(503, failure.getMessage());
    }
    if (failure instanceof CorruptDataException || failure instanceof BackendConfigException) {
      log(operation, failure);
      return error(500, failure.getMessage());
    }
    if (failure instanceof dev.lockstep.core.quality.BreakerOpenException) {
      return error(503, failure.getMessage()).withRetryAfter(5);
    }
    if (failure instanceof InvalidRequestException || failure instanceof InvalidDefinitionException) {
      return error(400, failure.getMessage());
    }
    if (failure instanceof LockstepException) {
      log(operation, failure);
      return error(500, failure.getMessage());
    }
    log(operation, failure);
    return error(500, "Cannot " + operation + ": internal error (" + failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + "; the server log has the details)");
  }

  /** The JSON error response of {@code status} and {@code message}, made one line. */
  static Response error(int status, String message) {
    String line = message == null ? "(no message)" : message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    return Response.json(status, dev.lockstep.wire.WireJson.error(status, line));
  }

  private static String malformed(JsonProcessingException failure) {
    String message = failure.getOriginalMessage();
    var location = failure.getLocation();
    String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return "Cannot read the request: invalid JSON" + where + ": " + Json.abbreviate(String.valueOf(message));
  }

  private static void log(String operation, Throwable failure) {
    StackTraceElement[] trace = failure.getStackTrace();
    String kind = failure.getClass().getName() + (trace.length > 0 ? "@" + trace[0] : "");
    boolean first = LOGGED.size() < MAX_REMEMBERED && LOGGED.add(kind);
    synchronized (System.err) {
      System.err.println("lockstep-server: cannot " + operation + ": " + failure);
      if (first) {
        failure.printStackTrace(System.err);
      }
    }
  }
}
