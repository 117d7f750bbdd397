package dev.lockstep.definition;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a definition or one of its fields was written: a file and a line from 1, or {@link #JAVA}
 * for definitions built with the Java builders.
 *
 * @param file the file as the repository directory was given plus the file's relative path, or
 *     {@code <java>}
 * @param line from 1; 0 when unknown (only for {@link #JAVA})
 */
public record Location(String file, int line) {

  /** The location of every definition built in Java: printed {@code <java>}. */
  public static final Location JAVA = new Location("<java>", 0);

  /** @throws IllegalArgumentException if {@code line} is negative */
  public Location {
    Objects.requireNonNull(file, "file");
    if (line < 0) {
      throw new IllegalArgumentException("Cannot build location " + file + ": line " + line);
    }
  }

  static Location of(Path file, int line) {
    return new Location(file.toString(), line);
  }

  /** {@code file:line}, or {@code <java>}. */
  @Override
  public String toString() {
    return line == 0 ? file : file + ":" + line;
  }
}
