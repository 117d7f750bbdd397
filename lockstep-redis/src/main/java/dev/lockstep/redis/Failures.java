package dev.lockstep.redis;

import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Builds the store's exceptions: one line, {@code "Cannot <do X in> Redis online store at <uri>,
 * namespace '<namespace>': <reason> (<hint>)"}, where the operation ends with its preposition
 * ({@code "read 3 keys of view 'v' in"}, {@code "open"}). Every secret (the password, given as a
 * property or inside the uri) is masked in the message and in the messages of the causes kept for
 * their stack traces.
 */
final class Failures {
  static final String MASK = "****";

  /** Longer cause chains are not followed: the store's own causes are a few links deep. */
  private static final int MAX_CAUSES = 16;

  private final String location;
  private final String where;
  private final List<String> secrets;

  /**
   * @param location the server, without credentials, e.g. {@code redis://127.0.0.1:6379/0}
   * @param secrets strings that must never be shown, such as the password
   */
  Failures(String location, String namespace, List<String> secrets) {
    this.secrets = secrets.stream().filter(secret -> !secret.isEmpty()).toList();
    this.location = redact(location);
    this.where = redact("Redis online store at " + location + ", namespace '" + namespace + "'");
  }

  /** The server, e.g. {@code redis://127.0.0.1:6379/0}. */
  String location() {
    return location;
  }

  /**
   * The store, e.g. {@code Redis online store at redis://127.0.0.1:6379/0, namespace 'lockstep'}.
   */
  String where() {
    return where;
  }

  /** Nothing took effect (or, for a plain write, rewriting the batch is safe). */
  BackendException failure(String doing, Throwable problem) {
    Throwable cause = unwrap(problem);
    return new BackendException(message(doing, reason(cause), hint(cause)), safe(cause));
  }

  /** A failure with a reason and hint of the caller's, rather than a client exception's. */
  BackendException failure(String doing, String reason, String hint) {
    return new BackendException(message(doing, reason, hint));
  }

  /** The write may or may not have been applied. */
  OutcomeUnknownException unknown(String doing, Throwable problem) {
    Throwable cause = unwrap(problem);
    String hint = "it may or may not be applied: read the checkpoint to know; " + hint(cause);
    return new OutcomeUnknownException(message(doing, reason(cause), hint), safe(cause));
  }

  /**
   * @param doing the operation without its preposition, e.g. {@code "read view 'payments'"}
   */
  IllegalStateException closed(String doing) {
    return new IllegalStateException(
        "Cannot " + doing + ": the " + where + " is closed (open it again to use it)");
  }

  String message(String doing, String reason, String hint) {
    String text = "Cannot " + doing + " " + where + ": " + reason + " (" + hint + ")";
    return redact(text.replaceAll("\\R", " "));
  }

  /** {@code text} with every secret replaced by {@value #MASK}. */
  String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /** {@code "1 entry"}, {@code "3 entries"}. */
  static String count(int count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  /** The cause behind the wrappers of futures. */
  static Throwable unwrap(Throwable problem) {
    Throwable cause = problem;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String reason(Throwable cause) {
    if (cause instanceof TimeoutException || cause instanceof RedisCommandTimeoutException) {
      return String.valueOf(cause.getMessage());
    }
    if (cause instanceof RedisCommandExecutionException) {
      return "Redis replied '" + cause.getMessage() + "'";
    }
    if (cause instanceof CancellationException) {
      return "the command was cancelled";
    }
    if (cause instanceof InterruptedException) {
      return "interrupted while waiting for Redis";
    }
    String reason = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    Throwable root = cause;
    for (int i = 0; i < MAX_CAUSES && root.getCause() != null; i++) {
      root = root.getCause();
    }
    if (root != cause && root.getMessage() != null && !reason.contains(root.getMessage())) {
      reason += ": " + root.getMessage();
    }
    return reason;
  }

  private String hint(Throwable cause) {
    if (cause instanceof TimeoutException || cause instanceof RedisCommandTimeoutException) {
      return "raise the 'timeout' property, or check the load of Redis and the network";
    }
    if (cause instanceof InterruptedException) {
      return "the calling thread was interrupted";
    }
    String messages = messages(cause);
    if (messages.contains("NOAUTH")
        || messages.contains("WRONGPASS")
        || messages.contains("password")) {
      return "check the password: the 'password' property, or the one in the 'uri'";
    }
    if (messages.contains("OOM")) {
      return "Redis is out of memory: raise its maxmemory, or write values with a TTL";
    }
    if (messages.contains("READONLY")) {
      return "this Redis is a read-only replica: give the primary in the 'uri'";
    }
    if (messages.contains("MOVED")
        || messages.contains("CROSSSLOT")
        || messages.contains("CLUSTER")) {
      return "this Redis runs in cluster mode, which the store does not support yet:"
          + " use a standalone Redis";
    }
    if (cause instanceof RedisCommandExecutionException) {
      return "check the configuration and log of Redis";
    }
    return "check that Redis runs there and accepts connections, and the 'uri' property";
  }

  private static String messages(Throwable cause) {
    StringBuilder text = new StringBuilder();
    Throwable link = cause;
    for (int i = 0; i < MAX_CAUSES && link != null; i++, link = link.getCause()) {
      text.append(link.getMessage()).append('\n');
    }
    return text.toString();
  }

  /** {@code cause}, or a copy of its chain with secrets masked if any message holds one. */
  private Throwable safe(Throwable cause) {
    if (secrets.isEmpty() || redact(messages(cause)).equals(messages(cause))) {
      return cause;
    }
    return copy(cause, 0);
  }

  private Throwable copy(Throwable cause, int depth) {
    if (cause == null || depth == MAX_CAUSES) {
      return null;
    }
    RuntimeException copy =
        new RuntimeException(
            cause.getClass().getName() + ": " + redact(String.valueOf(cause.getMessage())),
            copy(cause.getCause(), depth + 1));
    copy.setStackTrace(cause.getStackTrace());
    return copy;
  }
}
