package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.Backends;
import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.testkit.contract.OfflineStoreContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The offline store contract on the Iceberg store, loaded by name as users load it. */
class IcebergOfflineStoreContractTest extends OfflineStoreContract {
  @TempDir Path warehouse;

  @Override
  protected OfflineStore newStore() {
    return open();
  }

  @Override
  protected OfflineStore reopen() {
    return open();
  }

  private OfflineStore open() {
    return Backends.load(
        OfflineStore.class,
        IcebergOfflineStoreFactory.NAME,
        Map.of(IcebergOfflineStoreFactory.WAREHOUSE, warehouse.toString()));
  }
}
