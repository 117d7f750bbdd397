package dev.lockstep.embedded.log;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.NotFoundException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.eventlog.LogEntry;
import dev.lockstep.spi.eventlog.LogRecord;
import dev.lockstep.spi.eventlog.Position;
import dev.lockstep.spi.eventlog.SupportsTruncation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * The embedded event log: a write-ahead log in one local directory, with group commit. Layout,
 * frame format, recovery and truncation are described in {@code docs/event-log.md}:
 *
 * <pre>
 * &lt;dir&gt;/&lt;stream&gt;/stream.properties          format, version, partition count
 * &lt;dir&gt;/&lt;stream&gt;/p-&lt;n&gt;/&lt;base&gt;.log       segments, each with a header
 * &lt;dir&gt;/&lt;stream&gt;/p-&lt;n&gt;/start.properties    the start offset, once truncated
 * </pre>
 *
 * <p>An append returns once its records are written and forced; concurrent appends to a
 * partition share one force (see {@link PartitionLog}). A record's partition is {@code
 * CRC32C(key) mod partitions}; offsets are contiguous from 0 in each partition. On open, each
 * partition's last segment is checked frame by frame and a torn tail cut off. The directory is
 * locked: one event log, in one process, opens it at a time. Thread-safe.
 */
public final class LocalEventLog implements SupportsTruncation {
  /** The name this backend is loaded by. */
  public static final String NAME = "local";

  static final System.Logger LOGGER = System.getLogger(LocalEventLog.class.getName());
  /** Kafka's rule for topic names, which also makes a safe directory name everywhere. */
  private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,248}");
  private static final String LOCK_FILE = ".lock";

  private final Path directory;
  private final long segmentBytes;
  private final boolean fsync;
  private final FileChannel lockChannel;
  private final ConcurrentHashMap<String, StreamLog> streams = new ConcurrentHashMap<>();
  /** Forces of segment data, for tests that check group commit. */
  private final AtomicLong forces = new AtomicLong();
  /** Serializes creating, deleting and closing. */
  private final Object admin = new Object();
  private volatile boolean closed;

  private LocalEventLog(Path directory, long segmentBytes, boolean fsync, FileChannel lock) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.fsync = fsync;
    this.lockChannel = lock;
  }

  /**
   * Opens the log in {@code directory}, created if missing, with the default segment size and
   * fsync on.
   *
   * @throws BackendException if the directory cannot be opened or is open elsewhere
   * @throws CorruptDataException if a stream's files are damaged beyond a torn tail
   */
  public static LocalEventLog open(Path directory) {
    return open(directory, LocalEventLogFactory.SEGMENT_BYTES_DEFAULT,
        LocalEventLogFactory.FSYNC_DEFAULT);
  }

  static LocalEventLog open(Path directory, long segmentBytes, boolean fsync) {
    FileChannel lockChannel = null;
    LocalEventLog log = null;
    try {
      Files.createDirectories(directory);
      lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new BackendException("Cannot open the event log in " + directory + ": another"
            + " event log has it open (close that one, or use another directory)");
      }
      log = new LocalEventLog(directory, segmentBytes, fsync, lockChannel);
      log.openStreams();
      return log;
    } catch (IOException | RuntimeException e) {
      closeQuietly(log, lockChannel);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new BackendException("Cannot open the event log in " + directory + ": " + e
          + " (check that the directory is writable)", e);
    }
  }

  private void openStreams() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!Files.isDirectory(entry)) {
          continue;
        }
        if (name.startsWith(".")) {
          if (name.endsWith(StreamLog.CREATING_SUFFIX)
              || name.endsWith(StreamLog.DELETING_SUFFIX)) {
            DurableFiles.deleteRecursively(entry);
          }
          continue;
        }
        streams.put(name, StreamLog.open(entry, segmentBytes, fsync, forces));
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String displayName() {
    return "local event log";
  }

  /** The directory holding the streams. */
  public Path directory() {
    return directory;
  }

  @Override
  public void createStream(String stream, int partitions) {
    checkOpen();
    Objects.requireNonNull(stream, "stream");
    if (!STREAM_NAME.matcher(stream).matches()) {
      throw new IllegalArgumentException("Cannot create stream '" + stream + "': a stream name is"
          + " 1 to 249 letters, digits, '.', '_' or '-', not starting with '.' (rename it)");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("Cannot create stream '" + stream + "' with "
          + partitions + " partitions: a stream needs at least 1");
    }
    synchronized (admin) {
      checkOpen();
      StreamLog existing = streams.get(stream);
      if (existing != null) {
        if (existing.partitionCount() != partitions) {
          throw new AlreadyExistsException("Cannot create stream '" + stream + "' with "
              + partitions + " partitions: it exists with " + existing.partitionCount() + " in "
              + this + " (use " + existing.partitionCount() + ", or delete the stream first)");
        }
        return;
      }
      try {
        StreamLog.create(directory, stream, partitions, fsync);
        streams.put(stream, StreamLog.open(directory.resolve(stream), segmentBytes, fsync, forces));
      } catch (IOException e) {
        throw new BackendException("Cannot create stream '" + stream + "' in " + this + ": " + e
            + " (check the disk)", e);
      }
    }
  }

  @Override
  public List<String> streams() {
    checkOpen();
    return List.copyOf(new TreeSet<>(streams.keySet()));
  }

  @Override
  public int partitions(String stream) {
    checkOpen();
    return stream(stream, "find the partitions of").partitionCount();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The records of each partition are written and forced as part of one group commit with any
   * other appends waiting for that partition; the call returns when every partition's group is
   * done. Records with more than 1 GiB of key and value together are refused.
   */
  @Override
  public List<Position> append(String stream, List<LogRecord> records) {
    checkOpen();
    StreamLog log = stream(stream, "append to");
    Objects.requireNonNull(records, "records");
    if (records.isEmpty()) {
      return List.of();
    }
    int partitionCount = log.partitionCount();
    int[] partitionOf = new int[records.size()];
    int[] counts = new int[partitionCount];
    for (int i = 0; i < records.size(); i++) {
      LogRecord record = Objects.requireNonNull(records.get(i), "records[" + i + "]");
      if (Frames.frameBytes(record) - Frames.OVERHEAD_BYTES > Frames.MAX_RECORD_BYTES) {
        throw new IllegalArgumentException("Cannot append to stream '" + stream + "': record " + i
            + " has " + (Frames.frameBytes(record) - Frames.OVERHEAD_BYTES) + " bytes of key and"
            + " value, more than the 1 GiB a record may hold (split it)");
      }
      partitionOf[i] = Partitioner.partition(record.key(), partitionCount);
      counts[partitionOf[i]]++;
    }
    List<AppendRequest> requests = requests(log, records, partitionOf, counts);
    for (AppendRequest request : requests) {
      request.partition().enqueue(request);
    }
    AppendWaiter waiter = requests.get(0).waiter();
    for (AppendRequest promoted = waiter.next(); promoted != null; promoted = waiter.next()) {
      promoted.partition().lead();
    }
    return positions(stream, records.size(), requests);
  }

  /** One request per partition that gets records, each listing them in batch order. */
  private static List<AppendRequest> requests(
      StreamLog log, List<LogRecord> records, int[] partitionOf, int[] counts) {
    int used = (int) Arrays.stream(counts).filter(count -> count > 0).count();
    AppendWaiter waiter = new AppendWaiter(used);
    List<List<LogRecord>> perPartition = new ArrayList<>();
    int[][] indexes = new int[counts.length][];
    for (int partition = 0; partition < counts.length; partition++) {
      perPartition.add(counts[partition] == 0 ? null : new ArrayList<>(counts[partition]));
      indexes[partition] = new int[counts[partition]];
    }
    for (int i = 0; i < records.size(); i++) {
      List<LogRecord> list = perPartition.get(partitionOf[i]);
      indexes[partitionOf[i]][list.size()] = i;
      list.add(records.get(i));
    }
    List<AppendRequest> requests = new ArrayList<>(used);
    for (int partition = 0; partition < counts.length; partition++) {
      if (counts[partition] > 0) {
        requests.add(new AppendRequest(log.partitions().get(partition),
            perPartition.get(partition), indexes[partition], waiter));
      }
    }
    return requests;
  }

  /**
   * The positions of a finished append, or its failure: as it is when no partition took records,
   * an {@link OutcomeUnknownException} when some partition took or may hold records of the batch.
   */
  private static List<Position> positions(
      String stream, int size, List<AppendRequest> requests) {
    Position[] positions = new Position[size];
    AppendRequest failed = null;
    boolean written = false;
    for (AppendRequest request : requests) {
      if (request.failure() != null) {
        if (failed == null || (request.outcomeUnknown() && !failed.outcomeUnknown())) {
          failed = request;
        }
        continue;
      }
      written = true;
      int partition = request.partition().partition();
      int[] indexes = request.batchIndexes();
      for (int i = 0; i < indexes.length; i++) {
        positions[indexes[i]] = new Position(partition, request.firstOffset() + i);
      }
    }
    if (failed == null) {
      return List.of(positions);
    }
    if (!written && !failed.outcomeUnknown()) {
      throw failed.failure();
    }
    String others = written ? " while other partitions took theirs" : "";
    String what = "Cannot append " + size + " records to stream '" + stream + "': partition "
        + failed.partition().partition();
    if (failed.outcomeUnknown()) {
      throw new OutcomeUnknownException(what + " failed to write them ("
          + failed.failure().getCause() + "), so it may hold some" + others + "; it refuses"
          + " appends until the event log is reopened (reopen it and read the end positions"
          + " before retrying)", failed.failure());
    }
    throw new OutcomeUnknownException(what + " refused them" + others + ": "
        + failed.failure().getMessage() + " (read the end positions before retrying)",
        failed.failure());
  }

  @Override
  public List<LogEntry> read(String stream, Position from, int maxRecords) {
    checkOpen();
    Objects.requireNonNull(from, "from");
    StreamLog log = stream(stream, "read");
    if (maxRecords < 1) {
      throw new IllegalArgumentException("Cannot read stream '" + stream + "': maxRecords is "
          + maxRecords + " (ask for at least 1)");
    }
    return log.partition(from.partition(), "read").read(from.offset(), maxRecords);
  }

  @Override
  public List<Position> startPositions(String stream) {
    checkOpen();
    return positions(stream(stream, "find the start positions of"), PartitionLog::start);
  }

  @Override
  public List<Position> endPositions(String stream) {
    checkOpen();
    return positions(stream(stream, "find the end positions of"), PartitionLog::end);
  }

  private static List<Position> positions(StreamLog log, ToLongFunction<PartitionLog> offset) {
    List<Position> positions = new ArrayList<>(log.partitionCount());
    for (PartitionLog partition : log.partitions()) {
      positions.add(new Position(partition.partition(), offset.applyAsLong(partition)));
    }
    return List.copyOf(positions);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The new start offset is written to the partition's {@code start.properties} atomically
   * before any segment is deleted; then every segment whose records all lie below it is deleted.
   * The segment holding {@code before} stays, so up to one segment of space is freed later.
   */
  @Override
  public void truncate(String stream, Position before) {
    checkOpen();
    Objects.requireNonNull(before, "before");
    stream(stream, "truncate").partition(before.partition(), "truncate")
        .truncate(before.offset());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The stream's directory is first renamed to a hidden name, which is atomic, then its files
   * are deleted; a leftover hidden directory is deleted on the next open.
   */
  @Override
  public void deleteStream(String stream) {
    checkOpen();
    synchronized (admin) {
      checkOpen();
      StreamLog log = stream(stream, "delete");
      Path trash = directory.resolve("." + stream + "." + UUID.randomUUID()
          + StreamLog.DELETING_SUFFIX);
      try {
        Files.move(log.directory(), trash, StandardCopyOption.ATOMIC_MOVE);
        if (fsync) {
          DurableFiles.syncDirectory(directory);
        }
      } catch (IOException e) {
        throw new BackendException("Cannot delete stream '" + stream + "' in " + this + ": " + e
            + " (check the directory's permissions; retrying is safe)", e);
      }
      streams.remove(stream);
      try {
        log.close(true);
        DurableFiles.deleteRecursively(trash);
      } catch (IOException e) {
        LOGGER.log(System.Logger.Level.WARNING, "Deleted stream '" + stream + "' but not yet its"
            + " files in " + trash + " (they are deleted on the next open): " + e);
      }
    }
  }

  /** Closes every file and releases the directory. Appends and reads in progress finish first. */
  @Override
  public void close() {
    synchronized (admin) {
      if (closed) {
        return;
      }
      closed = true;
      IOException first = null;
      for (StreamLog log : streams.values()) {
        try {
          log.close(false);
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      try {
        lockChannel.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
      if (first != null) {
        throw new BackendException("Cannot close " + this + " cleanly: " + first
            + " (acknowledged records are durable; check the disk)", first);
      }
    }
  }

  /** Forces of segment data so far: group commit makes this far smaller than the appends. */
  long forces() {
    return forces.get();
  }

  @Override
  public String toString() {
    return "the local event log in " + directory;
  }

  private StreamLog stream(String stream, String operation) {
    Objects.requireNonNull(stream, "stream");
    StreamLog log = streams.get(stream);
    if (log == null) {
      throw new NotFoundException("Cannot " + operation + " stream '" + stream + "': no such"
          + " stream in " + this + " (streams: " + (streams.isEmpty() ? "none"
          : String.join(", ", new TreeSet<>(streams.keySet()))) + "; create it first)");
    }
    return log;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot use " + this + ": it is closed (open it again)");
    }
  }

  private static void closeQuietly(LocalEventLog log, FileChannel lockChannel) {
    try {
      if (log != null) {
        log.close();
      } else if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException | RuntimeException e) {
      // Already failing with the original error.
    }
  }
}
