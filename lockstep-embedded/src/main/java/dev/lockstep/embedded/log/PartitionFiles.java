package dev.lockstep.embedded.log;

import dev.lockstep.api.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a partition's directory besides the segments' contents: which segments there are,
 * and {@value #START_FILE}, which holds the start offset once the partition was truncated:
 *
 * <pre>
 * format=lockstep.log
 * version=1
 * start-offset=1024
 * </pre>
 */
final class PartitionFiles {
  static final String START_FILE = "start.properties";
  private static final Pattern SEGMENT_FILE = Pattern.compile("(\\d{20})\\.log");

  private PartitionFiles() {}

  /** Creates the directory of an empty partition, with its first segment. */
  static void create(Path directory, boolean fsync) throws IOException {
    Files.createDirectory(directory);
    Segment.create(directory, 0, fsync).close();
    if (fsync) {
      DurableFiles.syncDirectory(directory);
    }
  }

  /** The base offsets of the segment files, sorted; deletes leftover temporary files. */
  static List<Long> segmentBases(Path directory) throws IOException {
    List<Long> bases = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        Matcher matcher = SEGMENT_FILE.matcher(name);
        if (matcher.matches()) {
          bases.add(Long.parseLong(matcher.group(1)));
        } else if (name.endsWith(DurableFiles.TEMPORARY_SUFFIX)) {
          Files.deleteIfExists(file);
        }
      }
    }
    bases.sort(null);
    return bases;
  }

  /**
   * A crash right after a roll can leave the new, last segment without a whole header (nothing
   * was acknowledged in it yet): rewrites the header.
   */
  static void repairUnwrittenHeader(Path file, long base) throws IOException {
    if (Files.size(file) >= Frames.HEADER_BYTES) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
      ByteBuffer header = Frames.header(base);
      while (header.hasRemaining()) {
        channel.write(header, header.position());
      }
      channel.force(true);
    }
  }

  /**
   * The start offset recorded in {@code directory}, or 0 if it was never truncated.
   *
   * @param partition the partition, for messages
   * @throws CorruptDataException if the file is of another format or malformed
   */
  static long readStart(Path directory, String partition) throws IOException {
    Path file = directory.resolve(START_FILE);
    if (!Files.exists(file)) {
      return 0;
    }
    Properties properties = DurableFiles.readProperties(file);
    String format = properties.getProperty("format");
    String version = properties.getProperty("version");
    if (!Frames.FORMAT.equals(format) || !String.valueOf(Frames.VERSION).equals(version)) {
      throw new CorruptDataException("Cannot open " + partition + ": " + file + " is of format "
          + format + " version " + version + ", not " + Frames.FORMAT + " version "
          + Frames.VERSION + " (upgrade Lockstep, or restore the file from a backup)");
    }
    try {
      return Long.parseLong(properties.getProperty("start-offset", "").strip());
    } catch (NumberFormatException e) {
      throw new CorruptDataException("Cannot open " + partition + ": " + file
          + " has no valid start-offset (restore the file from a backup)");
    }
  }

  /** Records {@code start} atomically and durably (when {@code fsync}). */
  static void writeStart(Path directory, long start, boolean fsync) throws IOException {
    DurableFiles.replace(directory.resolve(START_FILE),
        "# Lockstep event log: the oldest readable offset of this partition\nformat="
            + Frames.FORMAT + "\nversion=" + Frames.VERSION + "\nstart-offset=" + start + "\n",
        fsync);
  }
}
