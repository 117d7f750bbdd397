package dev.lockstep.postgres;

import java.sql.SQLException;

/**
 * Reads what a JDBC failure means. SQL states are PostgreSQL's (Appendix A of its manual): class
 * {@code 08} is a lost or refused connection, {@code 57P0x} a server shutting the session down.
 */
final class SqlFailures {
  static final String UNIQUE_VIOLATION = "23505";
  static final String QUERY_CANCELED = "57014";

  private SqlFailures() {}

  /**
   * Whether a statement that failed this way may still have been committed: the connection broke
   * or the server ended the session while the statement ran, so its answer never arrived.
   */
  static boolean outcomeUnknown(SQLException e) {
    String state = state(e);
    return state != null && (state.startsWith("08") || state.startsWith("57P0"));
  }

  /** The SQL state of {@code e} or, if it has none, of the first cause that has one. */
  static String state(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  /** The most specific message in {@code e}'s causes, on one line. */
  static String reason(Throwable e) {
    String reason = null;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException && cause.getMessage() != null) {
        reason = cause.getMessage();
        break;
      }
    }
    if (reason == null) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
    return reason.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /**
   * {@code e} to keep as a cause, for its stack trace: itself, or a copy of its chain with the
   * password masked if any message shows it.
   */
  static Throwable redacted(PostgresSettings settings, Throwable e) {
    boolean showsSecret = false;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      showsSecret |= !settings.redact(message).equals(message);
    }
    return showsSecret ? copy(settings, e) : e;
  }

  private static Throwable copy(PostgresSettings settings, Throwable e) {
    Throwable cause = e.getCause() == null ? null : copy(settings, e.getCause());
    RuntimeException copy =
        new RuntimeException(
            e.getClass().getName() + ": " + settings.redact(String.valueOf(e.getMessage())),
            cause);
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
