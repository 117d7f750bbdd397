package dev.lockstep.embedded.registry;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded registry store: one file per version in a directory, {@code v000001.json}, {@code
 * v000002.json}, ..., each holding the document and its commit time (see {@link VersionFile}).
 *
 * <p><b>Commit.</b> Version {@code n + 1} is written in full to a hidden temporary file, fsynced,
 * then published with a hard link to its final name. Creating a link fails if the name exists, so
 * of any number of writers in any number of processes racing for the same version exactly one wins
 * and the others get a {@link CommitConflictException}; a reader never sees a partial file. A
 * version is only created when the previous one exists, so "version {@code n} exists and {@code n +
 * 1} does not" means {@code n} is the newest. The directory is fsynced after the link.
 *
 * <p>Needs a file system with hard links (every local Linux, macOS and Windows one). Thread-safe.
 */
public final class FileRegistryStore implements RegistryStore {
  /** The name this backend is loaded by. */
  public static final String NAME = "file";

  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{6,})\\.json");
  private static final String TEMPORARY_SUFFIX = ".tmp";
  private static final Duration STALE_TEMPORARY = Duration.ofHours(1);

  private final Path directory;
  private final Clock clock;
  /** The highest version known to exist; versions are never deleted, so it only grows. */
  private final AtomicLong newestKnown = new AtomicLong();
  private volatile boolean closed;

  /**
   * A store in {@code directory}, created if missing.
   *
   * @throws BackendException if the directory cannot be created or listed
   */
  public FileRegistryStore(Path directory) {
    this(directory, Clock.systemUTC());
  }

  FileRegistryStore(Path directory, Clock clock) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = clock;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw failure("open", e);
    }
    newestKnown.set(versionsOnDisk().stream().mapToLong(Long::longValue).max().orElse(0));
    removeStaleTemporaryFiles();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String displayName() {
    return "file registry";
  }

  /** The directory holding the version files. */
  public Path directory() {
    return directory;
  }

  @Override
  public Optional<RegistryVersion> current() {
    checkOpen();
    long newest = newest();
    return newest == 0 ? Optional.empty() : Optional.of(read(newest));
  }

  @Override
  public RegistryVersion commit(long expectedVersion, byte[] content) {
    checkOpen();
    RegistryStore.checkCommit(expectedVersion, content);
    long version = expectedVersion + 1;
    if (expectedVersion > 0 && !Files.exists(file(expectedVersion))) {
      throw new CommitConflictException(expectedVersion, current().orElse(null));
    }
    Instant committedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Path temporary = directory.resolve(
        "." + fileName(version) + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
    try {
      write(temporary, VersionFile.encode(version, committedAt, content));
      Files.createLink(file(version), temporary);
    } catch (FileAlreadyExistsException e) {
      throw new CommitConflictException(expectedVersion, current().orElse(null));
    } catch (UnsupportedOperationException e) {
      throw new BackendException("Cannot commit registry version " + version + " in " + directory
          + ": the file system has no hard links (put the registry on a local disk)", e);
    } catch (IOException e) {
      // Creating a link is atomic: when it fails, nothing was published.
      throw failure("commit version " + version + " to the", e);
    } finally {
      deleteQuietly(temporary);
    }
    try {
      syncDirectory();
    } catch (IOException e) {
      throw new OutcomeUnknownException("Cannot make registry version " + version + " durable in "
          + directory + ": " + e + " (read the current version before retrying)", e);
    }
    newestKnown.accumulateAndGet(version, Math::max);
    return new RegistryVersion(version, committedAt, content);
  }

  @Override
  public List<RegistryVersion> history() {
    checkOpen();
    List<RegistryVersion> history = new ArrayList<>();
    for (long version : versionsOnDisk()) {
      history.add(read(version));
    }
    return history;
  }

  @Override
  public Optional<RegistryVersion> version(long version) {
    checkOpen();
    if (version < 1 || !Files.exists(file(version))) {
      return Optional.empty();
    }
    return Optional.of(read(version));
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FileRegistryStore[" + directory + "]";
  }

  /** The newest version: from the highest known, probe upwards for versions others committed. */
  private long newest() {
    long newest = newestKnown.get();
    while (Files.exists(file(newest + 1))) {
      newest++;
    }
    long found = newest;
    return newestKnown.accumulateAndGet(found, Math::max);
  }

  private RegistryVersion read(long version) {
    Path file = file(version);
    VersionFile.Contents contents = VersionFile.decode(file.toString(), readBytes(file));
    if (contents.version() != version) {
      throw new CorruptDataException("Cannot read registry version file " + file
          + ": it holds version " + contents.version() + " (restore it from a backup)");
    }
    return new RegistryVersion(version, contents.committedAt(), contents.document());
  }

  private byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CorruptDataException("Cannot read registry version file " + file
          + ": it disappeared (version files must never be deleted; restore it from a backup)");
    } catch (IOException e) {
      throw failure("read " + file.getFileName(), e);
    }
  }

  /** The version numbers of the files in the directory, sorted. */
  private List<Long> versionsOnDisk() {
    List<Long> versions = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          versions.add(Long.parseLong(matcher.group(1)));
        }
      }
    } catch (IOException e) {
      throw failure("list", e);
    }
    versions.sort(null);
    return versions;
  }

  /** Temporary files of crashed writers; recent ones may belong to a live writer and are kept. */
  private void removeStaleTemporaryFiles() {
    Instant limit = clock.instant().minus(STALE_TEMPORARY);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, ".v*" + TEMPORARY_SUFFIX)) {
      for (Path file : files) {
        if (Files.getLastModifiedTime(file).toInstant().isBefore(limit)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      // Leftovers only waste space; failing to remove them must not stop the registry.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is removed when a store is next opened after an hour.
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory as a channel; its file system orders the link itself.
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  private Path file(long version) {
    return directory.resolve(fileName(version));
  }

  static String fileName(long version) {
    return String.format("v%06d.json", version);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot use " + this + ": it is closed");
    }
  }

  private BackendException failure(String operation, IOException cause) {
    return new BackendException(
        "Cannot " + operation + " registry in " + directory + ": " + cause, cause);
  }
}
