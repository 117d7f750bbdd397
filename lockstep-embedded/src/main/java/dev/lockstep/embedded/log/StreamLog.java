package dev.lockstep.embedded.log;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream: a directory holding {@value #PROPERTIES_FILE} (format, version and partition count)
 * and one directory {@code p-<n>} per partition. A stream is built in a hidden directory and
 * renamed into place, so after a crash it either exists whole or not at all.
 */
final class StreamLog {
  static final String PROPERTIES_FILE = "stream.properties";
  /** Suffix of a hidden directory a stream is built in or deleted from; removed on open. */
  static final String CREATING_SUFFIX = ".creating";
  static final String DELETING_SUFFIX = ".deleting";

  private final String name;
  private final Path directory;
  private final List<PartitionLog> partitions;

  private StreamLog(String name, Path directory, List<PartitionLog> partitions) {
    this.name = name;
    this.directory = directory;
    this.partitions = partitions;
  }

  /** Creates stream {@code name} with {@code partitions} empty partitions under {@code root}. */
  static void create(Path root, String name, int partitions, boolean fsync) throws IOException {
    Path building = root.resolve("." + name + "." + UUID.randomUUID() + CREATING_SUFFIX);
    Files.createDirectory(building);
    try {
      for (int partition = 0; partition < partitions; partition++) {
        PartitionFiles.create(building.resolve(partitionDirectory(partition)), fsync);
      }
      DurableFiles.write(building.resolve(PROPERTIES_FILE), "# Lockstep event log stream\n"
          + "format=" + Frames.FORMAT + "\nversion=" + Frames.VERSION + "\npartitions="
          + partitions + "\n", fsync);
      if (fsync) {
        DurableFiles.syncDirectory(building);
      }
      Files.move(building, root.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      DurableFiles.deleteRecursively(building);
      throw e;
    }
    if (fsync) {
      DurableFiles.syncDirectory(root);
    }
  }

  /**
   * Opens the stream in {@code directory}, recovering each partition.
   *
   * @throws CorruptDataException if its files are of another format or damaged
   */
  static StreamLog open(Path directory, long segmentBytes, boolean fsync, AtomicLong forces)
      throws IOException {
    String name = directory.getFileName().toString();
    Path file = directory.resolve(PROPERTIES_FILE);
    if (!Files.exists(file)) {
      throw new CorruptDataException("Cannot open stream '" + name + "' in " + directory
          + ": it has no " + PROPERTIES_FILE + " (restore it from a backup, or remove the"
          + " directory)");
    }
    Properties properties = DurableFiles.readProperties(file);
    String format = properties.getProperty("format");
    String version = properties.getProperty("version");
    if (!Frames.FORMAT.equals(format) || !String.valueOf(Frames.VERSION).equals(version)) {
      throw new CorruptDataException("Cannot open stream '" + name + "': " + file
          + " names format " + format + " version " + version + ", not " + Frames.FORMAT
          + " version " + Frames.VERSION + " (upgrade Lockstep)");
    }
    int count;
    try {
      count = Integer.parseInt(properties.getProperty("partitions", "").strip());
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1) {
      throw new CorruptDataException("Cannot open stream '" + name + "': " + file
          + " has no valid partition count (restore it from a backup)");
    }
    List<PartitionLog> partitions = new ArrayList<>();
    try {
      for (int partition = 0; partition < count; partition++) {
        Path partitionDirectory = directory.resolve(partitionDirectory(partition));
        if (!Files.isDirectory(partitionDirectory)) {
          throw new CorruptDataException("Cannot open stream '" + name + "': partition "
              + partition + " has no directory " + partitionDirectory
              + " (restore it from a backup)");
        }
        partitions.add(PartitionLog.open(
            name, partition, partitionDirectory, segmentBytes, fsync, forces));
      }
    } catch (IOException | RuntimeException e) {
      for (PartitionLog partition : partitions) {
        partition.close(false);
      }
      throw e;
    }
    return new StreamLog(name, directory, List.copyOf(partitions));
  }

  private static String partitionDirectory(int partition) {
    return "p-" + partition;
  }

  String name() {
    return name;
  }

  Path directory() {
    return directory;
  }

  int partitionCount() {
    return partitions.size();
  }

  List<PartitionLog> partitions() {
    return partitions;
  }

  /**
   * @param operation what the caller does, for the message, e.g. {@code "read"}
   * @throws NotFoundException if the stream has no such partition
   */
  PartitionLog partition(int partition, String operation) {
    if (partition >= partitions.size()) {
      throw new NotFoundException("Cannot " + operation + " partition " + partition
          + " of stream '" + name + "': the stream has partitions 0 to " + (partitions.size() - 1)
          + " (use a position of one of them)");
    }
    return partitions.get(partition);
  }

  /** Closes every partition, waiting for writes and reads in progress. */
  void close(boolean deleted) throws IOException {
    IOException first = null;
    for (PartitionLog partition : partitions) {
      try {
        partition.close(deleted);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
