package dev.lockstep.embedded.rocksdb;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The native side of a {@link RocksDbOnlineStore}: the open database, its column families, the
 * options and cache it was opened with, and the read and write options every call reuses. Opening
 * checks the format marker; {@link #close} frees every handle in reverse order of creation.
 *
 * <p>Tuning for point lookups (the serving hot path), as RocksDB's {@code OptimizeForPointLookup}
 * does but with one LRU block cache shared by every column family: a whole-key bloom filter of 10
 * bits per key in every table file and in the memtable, a hash index inside data blocks, and index
 * and filter blocks kept in the cache with high priority (pinned for level 0).
 */
final class Database {
  /** The key, in the default column family, of the format version; the key names the format. */
  static final String FORMAT_KEY = "lockstep.online-store";

  /** The format version this code writes and reads, stored as decimal text. */
  static final int FORMAT_VERSION = 1;

  static final String VIEWS = "views";
  static final String CHECKPOINTS = "checkpoints";

  /** The column families, in the order they are opened: handles 0, 1 and 2. */
  static final List<byte[]> FAMILIES =
      List.of(RocksDB.DEFAULT_COLUMN_FAMILY, bytes(VIEWS), bytes(CHECKPOINTS));

  private static final int BLOOM_BITS_PER_KEY = 10;
  private static final double MEMTABLE_BLOOM_RATIO = 0.02;
  private static final long MAX_TOTAL_WAL_BYTES = 256L << 20;

  static {
    RocksDB.loadLibrary();
  }

  final RocksDB db;
  final ColumnFamilyHandle views;
  final ColumnFamilyHandle checkpoints;
  final ReadOptions readOptions;
  final WriteOptions writeOptions;

  /** Every native object, in order of creation; closed in reverse. */
  private final List<AutoCloseable> resources;

  private Database(
      RocksDB db,
      ColumnFamilyHandle views,
      ColumnFamilyHandle checkpoints,
      ReadOptions readOptions,
      WriteOptions writeOptions,
      List<AutoCloseable> resources) {
    this.db = db;
    this.views = views;
    this.checkpoints = checkpoints;
    this.readOptions = readOptions;
    this.writeOptions = writeOptions;
    this.resources = resources;
  }

  /**
   * Opens or creates the database in {@code directory} (absolute), with a block cache of {@code
   * blockCacheBytes}.
   *
   * @throws BackendException if it cannot be opened, for example because another process holds it
   * @throws CorruptDataException if the directory holds another format or format version (see
   *     {@link FormatMarker})
   */
  static Database open(Path directory, long blockCacheBytes) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new BackendException(
          "Cannot open the online store at "
              + directory
              + ": cannot create the directory: "
              + e
              + " (check the path and its permissions)",
          e);
    }
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      LRUCache cache = add(resources, new LRUCache(blockCacheBytes));
      BloomFilter filter = add(resources, new BloomFilter(BLOOM_BITS_PER_KEY));
      BlockBasedTableConfig table =
          new BlockBasedTableConfig()
              .setBlockCache(cache)
              .setFilterPolicy(filter)
              .setWholeKeyFiltering(true)
              .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
              .setDataBlockHashTableUtilRatio(0.75)
              .setCacheIndexAndFilterBlocks(true)
              .setCacheIndexAndFilterBlocksWithHighPriority(true)
              .setPinL0FilterAndIndexBlocksInCache(true);
      ColumnFamilyOptions columnOptions =
          add(resources, new ColumnFamilyOptions())
              .setTableFormatConfig(table)
              .setMemtableWholeKeyFiltering(true)
              .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
              .setCompressionType(CompressionType.LZ4_COMPRESSION)
              .setLevelCompactionDynamicLevelBytes(true);
      DBOptions options =
          add(resources, new DBOptions())
              .setCreateIfMissing(true)
              .setCreateMissingColumnFamilies(true)
              .setMaxBackgroundJobs(2)
              // The checkpoints column family holds a few small keys and would never fill its
              // memtable; without this bound it would pin every write-ahead log file forever.
              .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
              // Replay the log up to its last complete record: a torn tail (a batch half written
              // when the process died) is dropped whole, never applied in part.
              .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
              .setBytesPerSync(1 << 20)
              .setKeepLogFileNum(5)
              .setMaxLogFileSize(16 << 20);
      ReadOptions readOptions = add(resources, new ReadOptions());
      WriteOptions writeOptions = add(resources, new WriteOptions().setSync(false));

      List<byte[]> existing = existingColumnFamilies(directory);
      if (!existing.isEmpty() && !FormatMarker.isOurs(existing)) {
        FormatMarker.inspectForeign(directory, existing, columnOptions);
      }
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] name : FAMILIES) {
        descriptors.add(new ColumnFamilyDescriptor(name, columnOptions));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db;
      try {
        db = add(resources, RocksDB.open(options, directory.toString(), descriptors, handles));
      } catch (RocksDBException e) {
        throw openFailure(directory, e);
      }
      // The database owns the handles open() created and closes them before itself.
      FormatMarker.check(directory, db, handles);
      return new Database(db, handles.get(1), handles.get(2), readOptions, writeOptions, resources);
    } catch (RuntimeException e) {
      closeAll(resources, e);
      throw e;
    }
  }

  /**
   * Syncs the write-ahead log, closes the database (and with it its column family handles), then
   * frees the options, filter and cache it was opened with. Already closed resources are skipped.
   */
  void close(Path directory) {
    RuntimeException failure = null;
    try {
      db.flushWal(true);
    } catch (RocksDBException e) {
      failure = closeFailure(directory, e);
    }
    try {
      db.closeE();
    } catch (RocksDBException e) {
      failure = failure != null ? failure : closeFailure(directory, e);
    }
    closeAll(resources, failure);
    if (failure != null) {
      throw failure;
    }
  }

  /** A one-line hint for a failed RocksDB call. */
  static String hint(RocksDBException e, Path directory) {
    Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
    if (code == Status.Code.IOError) {
      return "check free disk space and the permissions of " + directory;
    }
    if (code == Status.Code.Corruption) {
      return "the store is damaged: move " + directory + " away and rebuild the online store";
    }
    if (code == Status.Code.ShutdownInProgress) {
      return "the store is closing";
    }
    return "see the RocksDB LOG file in " + directory;
  }

  static BackendException openFailure(Path directory, RocksDBException e) {
    String message = String.valueOf(e.getMessage());
    String cannot = "Cannot open the online store at " + directory + ": ";
    if (message.contains("lock hold by current process")) {
      return new BackendException(
          cannot
              + "this process has it open already"
              + " (close the other instance first, or share one instance)",
          e);
    }
    if (message.contains("While lock file")) {
      return new BackendException(
          cannot
              + "another process holds it"
              + " (is `lockstep serve` running? stop it or send requests to the server)",
          e);
    }
    return new BackendException(cannot + message + " (" + hint(e, directory) + ")", e);
  }

  private static BackendException closeFailure(Path directory, RocksDBException e) {
    return new BackendException(
        "Cannot close the online store at "
            + directory
            + ": "
            + e.getMessage()
            + " ("
            + hint(e, directory)
            + "; acknowledged writes are in the write-ahead log)",
        e);
  }

  private static List<byte[]> existingColumnFamilies(Path directory) {
    if (!Files.exists(directory.resolve("CURRENT"))) {
      return List.of();
    }
    try (Options options = new Options()) {
      return RocksDB.listColumnFamilies(options, directory.toString());
    } catch (RocksDBException e) {
      throw new BackendException(
          "Cannot open the online store at "
              + directory
              + ": cannot list its column families: "
              + e.getMessage()
              + " ("
              + hint(e, directory)
              + ")",
          e);
    }
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T resource) {
    resources.add(resource);
    return resource;
  }

  private static void closeAll(List<AutoCloseable> resources, RuntimeException failure) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (failure != null) {
          failure.addSuppressed(e);
        }
      }
    }
    resources.clear();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
