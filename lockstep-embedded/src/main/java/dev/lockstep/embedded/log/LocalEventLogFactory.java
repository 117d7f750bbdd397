package dev.lockstep.embedded.log;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.eventlog.EventLog;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Creates {@link LocalEventLog}s under the name {@value #NAME}. Properties:
 *
 * <ul>
 *   <li>{@value #DIR} (required): the directory holding the streams; created if missing. One
 *       event log at a time may open it.
 *   <li>{@value #SEGMENT_BYTES} (default {@value #SEGMENT_BYTES_DEFAULT}, 64 MiB): the size at
 *       which a partition starts a new segment file, and so the unit truncation frees. At least
 *       {@value #SEGMENT_BYTES_MIN}.
 *   <li>{@value #FSYNC} (default {@value #FSYNC_DEFAULT}): whether an append forces its records
 *       to the disk before it returns. {@code false} keeps them safe from a process crash but not
 *       from a power loss or an operating-system crash: only for tests and benchmarks that say so.
 * </ul>
 */
public final class LocalEventLogFactory implements BackendFactory<EventLog> {
  /** The name the log is loaded by. */
  public static final String NAME = LocalEventLog.NAME;

  /** The directory holding the streams; required. */
  public static final String DIR = "dir";

  /** The size at which a partition rolls to a new segment file, in bytes. */
  public static final String SEGMENT_BYTES = "segment-bytes";
  public static final long SEGMENT_BYTES_DEFAULT = 64L << 20;
  public static final long SEGMENT_BYTES_MIN = 128;

  /** Whether appends are forced to the disk before they return. */
  public static final String FSYNC = "fsync";
  public static final boolean FSYNC_DEFAULT = true;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<EventLog> role() {
    return EventLog.class;
  }

  /**
   * Opens the log in the configured directory.
   *
   * @throws BackendConfigException if {@value #DIR} is not set or a property is malformed
   * @throws dev.lockstep.spi.BackendException if the directory cannot be opened
   * @throws dev.lockstep.api.CorruptDataException if a stream's files are damaged
   */
  @Override
  public EventLog create(BackendConfig config) {
    String dir = config.required(DIR);
    Path path;
    try {
      path = Path.of(dir);
    } catch (InvalidPathException e) {
      throw new BackendConfigException("Cannot configure backend '" + NAME + "': property '" + DIR
          + "' is not a path (" + e.getMessage() + ")");
    }
    long segmentBytes = config.longValue(SEGMENT_BYTES, SEGMENT_BYTES_DEFAULT);
    if (segmentBytes < SEGMENT_BYTES_MIN) {
      throw new BackendConfigException("Cannot configure backend '" + NAME + "': property '"
          + SEGMENT_BYTES + "' is " + segmentBytes + " (use at least " + SEGMENT_BYTES_MIN
          + "; the default is " + SEGMENT_BYTES_DEFAULT + ")");
    }
    return LocalEventLog.open(path, segmentBytes, config.booleanValue(FSYNC, FSYNC_DEFAULT));
  }
}
