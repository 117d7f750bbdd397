package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.offline.OfflineStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Creates {@link IcebergOfflineStore}s under the name {@value #NAME}. Properties:
 *
 * <ul>
 *   <li>{@value #WAREHOUSE} (required): the local directory holding the tables and the catalog file
 *       {@code catalog.db}; created if missing. Several stores, in one process or several, may open
 *       the same directory.
 * </ul>
 */
public final class IcebergOfflineStoreFactory implements BackendFactory<OfflineStore> {
  /** The name the store is loaded by. */
  public static final String NAME = "iceberg";

  /** The property naming the warehouse directory; required, no default. */
  public static final String WAREHOUSE = "warehouse";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<OfflineStore> role() {
    return OfflineStore.class;
  }

  /**
   * Opens the store in the configured warehouse.
   *
   * @throws dev.lockstep.spi.BackendConfigException if {@value #WAREHOUSE} is not set
   * @throws dev.lockstep.spi.BackendException if the directory or its catalog cannot be opened
   */
  @Override
  public OfflineStore create(BackendConfig config) {
    String warehouse = config.required(WAREHOUSE);
    Path path;
    try {
      path = Path.of(warehouse);
    } catch (InvalidPathException e) {
      throw new dev.lockstep.spi.BackendConfigException(
          "Cannot configure backend 'iceberg': property 'warehouse' is not a path ("
              + e.getMessage()
              + ")");
    }
    return IcebergOfflineStore.open(path);
  }
}
