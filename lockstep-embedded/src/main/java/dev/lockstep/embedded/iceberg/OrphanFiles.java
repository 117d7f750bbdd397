package dev.lockstep.embedded.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The data files of a table that no snapshot references: every file under the table's {@code data}
 * directory (Hadoop's {@code .crc} side files with the file they check) that is in none of the
 * manifests of any snapshot, old or current, and older than a bound past which no append can still
 * be writing it. Only the data directory is looked at: metadata is Iceberg's to expire.
 */
final class OrphanFiles {
  private OrphanFiles() {}

  /** Finds, and unless {@code dryRun} deletes, the orphan data files of {@code table}. */
  static List<String> remove(Table table, Instant olderThan, boolean dryRun) {
    Set<Path> referenced = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        try (CloseableIterable<String> paths = ManifestFiles.readPaths(manifest, table.io(), table.specs())) {
          paths.forEach(path -> referenced.add(local(path)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    Path data = local(table.location()).resolve("data");
    if (!Files.isDirectory(data)) {
      return List.of();
    }
    List<Path> orphans = new ArrayList<>();
    try (Stream<Path> files = Files.walk(data)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        if (!referenced.contains(checked(file)) && Files.getLastModifiedTime(file).toInstant().isBefore(olderThan)) {
          orphans.add(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> removed = new ArrayList<>(orphans.size());
    for (Path orphan : orphans) {
      if (!dryRun) {
        try {
          Files.deleteIfExists(orphan);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      removed.add(orphan.toString());
    }
    return removed;
  }

  /** The file a Hadoop {@code .name.crc} checksum file checks, or {@code file} itself. */
  private static Path checked(Path file) {
    String name = file.getFileName().toString();
    if (name.startsWith(".") && name.endsWith(".crc")) {
      return file.resolveSibling(name.substring(1, name.length() - ".crc".length())).toAbsolutePath().normalize();
    }
    return file.toAbsolutePath().normalize();
  }

  /** A location as Iceberg writes it ({@code file:/...}, {@code file:///...} or a bare path) as a local path. */
  private static Path local(String location) {
    Path path = location.startsWith("file:") ? Path.of(URI.create(location.startsWith("file://") ? location
        : "file://" + location.substring("file:".length()))) : Path.of(location);
    return path.toAbsolutePath().normalize();
  }
}
