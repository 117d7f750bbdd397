package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import java.io.UncheckedIOException;
import dev.lockstep.io.IoReasons;
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
    if (message == null || message.isBlank()) {
      // say what happened in words, never a bare Java class name
      return "Cannot run the command: " + IoReasons.of(e) + " (run again with LOCKSTEP_DEBUG=1 for details)";
    }
    return message;
  }
}
