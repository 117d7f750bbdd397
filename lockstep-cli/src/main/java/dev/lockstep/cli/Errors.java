package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's error as one line (several for a list of definition problems) and
 * exits 1. Unexpected failures print their stack trace only with {@code LOCKSTEP_DEBUG=1}.
 */
final class Errors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
    boolean expected =
        e instanceof LockstepException
            || e instanceof IllegalArgumentException
            || e instanceof UncheckedIOException;
    commandLine.getErr().println("lockstep: " + message(e));
    if (!expected || "1".equals(System.getenv("LOCKSTEP_DEBUG"))) {
      e.printStackTrace(commandLine.getErr());
    }
    return 1;
  }

  private static String message(Throwable e) {
    String message = e.getMessage();
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      message = message + " (" + e.getCause().getClass().getSimpleName() + ")";
    }
    return message == null ? e.toString() : message;
  }
}
