package dev.lockstep.kafka;

/** Client failures as they appear in Lockstep's messages and causes: one line, secrets masked. */
final class Failures {
  private static final int MAX_CHAIN = 16;

  private Failures() {}

  /** {@code e} and its root cause in one line: {@code "TimeoutException: ...; caused by ..."}. */
  static String describe(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && depth < MAX_CHAIN; depth++) {
      root = root.getCause();
    }
    String text = line(e) + (root == e ? "" : "; caused by " + line(root));
    return text.replaceAll("\\R", " ");
  }

  private static String line(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * {@code cause} itself when no message in its chain holds a secret ({@link SecretMask});
   * otherwise a copy of the chain with masked messages and the original stack traces, since a
   * cause's message is printed wherever its stack trace is.
   */
  static Throwable redacted(SecretMask mask, Throwable cause) {
    boolean secret = false;
    int depth = 0;
    for (Throwable t = cause; t != null && depth < MAX_CHAIN; t = t.getCause(), depth++) {
      String message = String.valueOf(t.getMessage());
      secret |= !mask.apply(message).equals(message);
    }
    return secret ? copy(mask, cause, 0) : cause;
  }

  private static Throwable copy(SecretMask mask, Throwable original, int depth) {
    if (original == null || depth == MAX_CHAIN) {
      return null;
    }
    RuntimeException copy = new RuntimeException(
        original.getClass().getName() + ": " + mask.apply(String.valueOf(original.getMessage())),
        copy(mask, original.getCause(), depth + 1));
    copy.setStackTrace(original.getStackTrace());
    return copy;
  }
}
