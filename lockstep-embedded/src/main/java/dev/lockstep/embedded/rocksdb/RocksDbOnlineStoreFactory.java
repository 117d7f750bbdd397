package dev.lockstep.embedded.rocksdb;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.online.OnlineStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Creates {@link RocksDbOnlineStore}s under the name {@value #NAME}. Properties:
 *
 * <ul>
 *   <li>{@value #DIR} (required): the directory of the database, created if missing. One process at
 *       a time may open it.
 *   <li>{@value #BLOCK_CACHE_MB} (default {@value #BLOCK_CACHE_MB_DEFAULT}): the size in MiB of the
 *       LRU cache of uncompressed blocks, index and filter blocks, shared by the store's column
 *       families.
 * </ul>
 *
 * <pre>{@code
 * OnlineStore store = Backends.load(OnlineStore.class, "rocksdb", Map.of("dir", ".lockstep/online"));
 * }</pre>
 */
public final class RocksDbOnlineStoreFactory implements BackendFactory<OnlineStore> {
  /** The name the store is loaded by. */
  public static final String NAME = "rocksdb";

  /** The directory of the database; required, no default. */
  public static final String DIR = "dir";

  /** The block cache size in MiB. */
  public static final String BLOCK_CACHE_MB = "block-cache-mb";

  public static final int BLOCK_CACHE_MB_DEFAULT = 256;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<OnlineStore> role() {
    return OnlineStore.class;
  }

  /**
   * Opens the store in the configured directory.
   *
   * @throws BackendConfigException if {@value #DIR} is missing or not a path, or {@value
   *     #BLOCK_CACHE_MB} is not a positive integer
   * @throws dev.lockstep.spi.BackendException if the database cannot be opened, for example because
   *     another process holds it
   * @throws dev.lockstep.api.CorruptDataException if the directory holds another format or format
   *     version
   */
  @Override
  public OnlineStore create(BackendConfig config) {
    String dir = config.required(DIR);
    int blockCacheMb = config.intValue(BLOCK_CACHE_MB, BLOCK_CACHE_MB_DEFAULT);
    if (blockCacheMb < 1) {
      throw new BackendConfigException(
          "Cannot configure backend '"
              + config.backend()
              + "': property '"
              + BLOCK_CACHE_MB
              + "' must be at least 1, got "
              + blockCacheMb
              + " (give the block cache size in MiB, e.g. "
              + BLOCK_CACHE_MB_DEFAULT
              + ")");
    }
    Path path;
    try {
      path = Path.of(dir);
    } catch (InvalidPathException e) {
      throw new BackendConfigException(
          "Cannot configure backend '"
              + config.backend()
              + "': property '"
              + DIR
              + "' is not a path: "
              + e.getReason()
              + " (give a directory)");
    }
    return RocksDbOnlineStore.open(path, (long) blockCacheMb << 20);
  }
}
