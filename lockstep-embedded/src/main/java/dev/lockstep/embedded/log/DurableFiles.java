package dev.lockstep.embedded.log;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Properties;

/** Small-file and directory operations that survive a crash when {@code fsync} is on. */
final class DurableFiles {
  /** Suffix of a small file being replaced; a leftover one is deleted on open. */
  static final String TEMPORARY_SUFFIX = ".tmp";

  private DurableFiles() {}

  /** Writes {@code text} to a new file {@code file}, forced when {@code fsync}. */
  static void write(Path file, String text, boolean fsync) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (fsync) {
        channel.force(true);
      }
    }
  }

  /**
   * Replaces {@code file} with {@code text} atomically: a reader, or a restart after a crash, sees
   * the old contents or the new, never a mix. Writes a temporary file, forces it, renames it over
   * {@code file} and forces the directory.
   */
  static void replace(Path file, String text, boolean fsync) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
    write(temporary, text, fsync);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    if (fsync) {
      syncDirectory(file.getParent());
    }
  }

  static Properties readProperties(Path file) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    return properties;
  }

  /** Makes the creation, renaming and deletion of entries in {@code directory} durable. */
  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory as a channel; its file system orders metadata itself.
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
          throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path directory, IOException failure)
          throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(directory);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
