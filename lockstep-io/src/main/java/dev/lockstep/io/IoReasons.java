package dev.lockstep.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why an I/O operation failed, in words a user acts on ({@code no such file}, {@code permission
 * denied}, {@code it is not UTF-8 text}) rather than a Java exception's class name or bare path.
 */
public final class IoReasons {
  private IoReasons() {}

  /** The reason of {@code e}, one line, without the path (the caller's message names it). */
  public static String of(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "there is no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "it exists already";
    }
    if (e instanceof NotDirectoryException) {
      return "it is not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "the directory is not empty";
    }
    if (e instanceof CharacterCodingException) {
      return "it is not UTF-8 text";
    }
    if (e instanceof FileSystemException system && system.getReason() != null) {
      return system.getReason();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? "an I/O error" : message.lines().findFirst().orElse(message);
  }

  /** The reason of the first {@link IOException} among {@code e} and its causes, or its message. */
  public static String of(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io) {
        return of(io);
      }
    }
    return String.valueOf(e.getMessage());
  }
}
