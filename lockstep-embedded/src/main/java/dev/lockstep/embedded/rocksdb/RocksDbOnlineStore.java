package dev.lockstep.embedded.rocksdb;

import dev.lockstep.spi.CallGuard;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.online.Entry;
import dev.lockstep.spi.online.SupportsAtomicCheckpoint;
import dev.lockstep.spi.online.SupportsTtl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;

/**
 * The embedded online store: one RocksDB database in one directory, opened by one process at a
 * time. The layout is documented in {@code docs/online-store.md}, "RocksDB layout":
 *
 * <ul>
 *   <li>column family {@code default}: the format marker {@code lockstep.online-store} = {@code 1};
 *   <li>column family {@code views}: key = varint length of the view name, the name (UTF-8), the
 *       entity key bytes (see {@link KeyLayout}); value = kind byte, optional expiry, the value
 *       (see {@link StoredValue});
 *   <li>column family {@code checkpoints}: key = consumer name (UTF-8), value = the checkpoint.
 * </ul>
 *
 * <p><b>Durability.</b> Writes go to the write-ahead log without an fsync each: once a write
 * returns, it survives the death of the process (kill -9 included, the log is in the operating
 * system's page cache) but not a crash of the machine, which may lose the last writes since the
 * operating system last flushed. {@link #close()} syncs the log. A {@link WriteBatch} is one log
 * record, so {@link #writeWithCheckpoint} is all or nothing across a crash as well.
 *
 * <p><b>TTL.</b> Expiry is checked when a value is read, against the system clock, with a
 * granularity of one millisecond; expired values take disk space until overwritten, deleted or
 * their view dropped.
 *
 * <p>Thread-safe. Closing waits for the calls in flight, then frees the native handles; later calls
 * throw {@link IllegalStateException}.
 */
public final class RocksDbOnlineStore implements SupportsAtomicCheckpoint, SupportsTtl {
  private final Path directory;
  private final Database database;
  private final RocksDB db;
  private final KeyLayout layout = new KeyLayout();
  private final CallGuard calls = new CallGuard();

  private RocksDbOnlineStore(Path directory, Database database) {
    this.directory = directory;
    this.database = database;
    this.db = database.db;
  }

  /**
   * Opens the store in {@code directory}, creating it if missing, with a block cache of {@code
   * blockCacheBytes}.
   *
   * @throws BackendException if the store cannot be opened, e.g. another process holds it
   * @throws dev.lockstep.api.CorruptDataException if the directory holds another format or a format
   *     version this code does not read
   */
  static RocksDbOnlineStore open(Path directory, long blockCacheBytes) {
    Path absolute = directory.toAbsolutePath().normalize();
    return new RocksDbOnlineStore(absolute, Database.open(absolute, blockCacheBytes));
  }

  @Override
  public String name() {
    return RocksDbOnlineStoreFactory.NAME;
  }

  @Override
  public String displayName() {
    return "RocksDB";
  }

  /** The directory of the database, absolute. */
  public Path directory() {
    return directory;
  }

  @Override
  public void write(String view, List<Entry> entries) {
    writeEntries(view, entries, StoredValue.NEVER);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The expiry is stored with the value and checked on read, to the millisecond.
   */
  @Override
  public void write(String view, List<Entry> entries, Duration ttl) {
    SupportsTtl.checkWrite(view, entries, ttl);
    writeEntries(view, entries, StoredValue.expiry(System.currentTimeMillis(), ttl));
  }

  private void writeEntries(String view, List<Entry> entries, long expiry) {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(entries, "entries");
    enter("write to view", view);
    try {
      byte[] prefix = layout.prefix(view);
      if (entries.size() == 1) {
        Entry entry = entries.get(0);
        db.put(
            database.views,
            database.writeOptions,
            KeyLayout.key(prefix, entry.key().bytes()),
            StoredValue.encode(entry.value(), expiry));
      } else if (!entries.isEmpty()) {
        try (WriteBatch batch = new WriteBatch()) {
          putAll(batch, prefix, entries, expiry);
          db.write(database.writeOptions, batch);
        }
      }
    } catch (RocksDBException e) {
      throw failure("write " + entries.size() + " entries to view '" + view + "'", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Keys are read together ({@code MultiGet}) from one implicit snapshot, so one call never sees
   * part of a {@link #writeWithCheckpoint}.
   */
  @Override
  public List<byte[]> read(String view, List<EntityKey> keys) {
    Objects.requireNonNull(view, "view");
    int count = keys.size();
    List<byte[]> values = new ArrayList<>(count);
    enter("read view", view);
    try {
      byte[] prefix = layout.prefix(view);
      if (count == 1) {
        byte[] key = KeyLayout.key(prefix, keys.get(0).bytes());
        values.add(StoredValue.decode(db.get(database.views, database.readOptions, key)));
      } else if (count > 1) {
        List<byte[]> storeKeys = new ArrayList<>(count);
        for (EntityKey key : keys) {
          storeKeys.add(KeyLayout.key(prefix, key.bytes()));
        }
        List<byte[]> stored =
            db.multiGetAsList(
                database.readOptions, Collections.nCopies(count, database.views), storeKeys);
        for (byte[] value : stored) {
          values.add(StoredValue.decode(value));
        }
      }
    } catch (RocksDBException e) {
      throw failure("read " + count + " keys of view '" + view + "'", e);
    } finally {
      calls.exit();
    }
    return values;
  }

  @Override
  public void delete(String view, EntityKey key) {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(key, "key");
    enter("delete from view", view);
    try {
      db.delete(
          database.views, database.writeOptions, KeyLayout.key(layout.prefix(view), key.bytes()));
    } catch (RocksDBException e) {
      throw failure("delete " + key + " from view '" + view + "'", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One range tombstone over the view's key range, then the table files lying wholly inside the
   * range are deleted at once; the rest of the space comes back with compaction. Concurrent reads
   * see the view whole or empty.
   */
  @Override
  public void dropView(String view) {
    Objects.requireNonNull(view, "view");
    enter("drop view", view);
    try {
      byte[] begin = layout.prefix(view);
      byte[] end = KeyLayout.successor(begin);
      // Tombstone first: every file deleted next lies under it, so deleting it changes nothing
      // a reader can see, even if the process dies in between.
      db.deleteRange(database.views, database.writeOptions, begin, end);
      db.deleteFilesInRanges(database.views, List.of(begin, end), false);
    } catch (RocksDBException e) {
      throw failure("drop view '" + view + "'", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@link WriteBatch}, one write-ahead log record: entries and checkpoint become visible
   * together and survive a crash together.
   */
  @Override
  public void writeWithCheckpoint(
      Map<String, List<Entry>> entriesByView, String consumer, byte[] checkpoint) {
    writeWithCheckpoint(entriesByView, Map.of(), consumer, checkpoint);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The expiry is stored with each value, as {@link #write(String, List, Duration)} does.
   */
  @Override
  public void writeWithCheckpoint(Map<String, List<Entry>> entriesByView, Map<String, Duration> ttlByView,
      String consumer, byte[] checkpoint) {
    SupportsAtomicCheckpoint.checkWrite(entriesByView, ttlByView, consumer, checkpoint);
    long now = System.currentTimeMillis();
    enter("write with the checkpoint of consumer", consumer);
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<String, List<Entry>> view : entriesByView.entrySet()) {
        Duration ttl = ttlByView.get(view.getKey());
        putAll(batch, layout.prefix(view.getKey()), view.getValue(),
            ttl == null ? StoredValue.NEVER : StoredValue.expiry(now, ttl));
      }
      batch.put(database.checkpoints, Database.bytes(consumer), checkpoint);
      db.write(database.writeOptions, batch);
    } catch (RocksDBException e) {
      String doing =
          "write "
              + entriesByView.size()
              + " views with the checkpoint of consumer '"
              + consumer
              + "'";
      if (rejectedBeforeWriting(e)) {
        throw failure(doing, e);
      }
      throw new OutcomeUnknownException(
          "Cannot "
              + doing
              + " to the online store at "
              + directory
              + ": "
              + e.getMessage()
              + " (the batch may or may not be applied: read the checkpoint to know; "
              + Database.hint(e, directory)
              + ")",
          e);
    } finally {
      calls.exit();
    }
  }

  @Override
  public Optional<byte[]> checkpoint(String consumer) {
    Objects.requireNonNull(consumer, "consumer");
    enter("read the checkpoint of consumer", consumer);
    try {
      return Optional.ofNullable(
          db.get(database.checkpoints, database.readOptions, Database.bytes(consumer)));
    } catch (RocksDBException e) {
      throw failure("read the checkpoint of consumer '" + consumer + "'", e);
    } finally {
      calls.exit();
    }
  }

  /**
   * Waits for the calls in flight, syncs the write-ahead log and frees every native handle.
   * Idempotent.
   *
   * @throws BackendException if RocksDB reported an error while closing; the handles are freed
   */
  @Override
  public void close() {
    if (calls.close()) {
      database.close(directory);
    }
  }

  @Override
  public String toString() {
    return "RocksDbOnlineStore[" + directory + (calls.isClosed() ? ", closed]" : "]");
  }

  private void putAll(WriteBatch batch, byte[] prefix, List<Entry> entries, long expiry)
      throws RocksDBException {
    for (Entry entry : entries) {
      batch.put(
          database.views,
          KeyLayout.key(prefix, entry.key().bytes()),
          StoredValue.encode(entry.value(), expiry));
    }
  }

  /** Enters a call; the message is only built when the store is closed, off the hot path. */
  private void enter(String doing, String name) {
    if (!calls.tryEnter()) {
      throw new IllegalStateException(
          "Cannot "
              + doing
              + " '"
              + name
              + "': the online store at "
              + directory
              + " is closed (open it again to use it)");
    }
  }

  private BackendException failure(String doing, RocksDBException e) {
    return new BackendException(
        "Cannot "
            + doing
            + " in the online store at "
            + directory
            + ": "
            + e.getMessage()
            + " ("
            + Database.hint(e, directory)
            + ")",
        e);
  }

  /** Whether RocksDB refused the batch before writing any of it to the log. */
  private static boolean rejectedBeforeWriting(RocksDBException e) {
    Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
    return code == Status.Code.InvalidArgument
        || code == Status.Code.NotSupported
        || code == Status.Code.Busy
        || code == Status.Code.TryAgain
        || code == Status.Code.Incomplete
        || code == Status.Code.ShutdownInProgress;
  }
}
