package dev.lockstep.embedded.registry;

import dev.lockstep.spi.Backends;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.testkit.contract.RegistryStoreContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The registry store contract on the file registry, loaded by name as users load it. */
class FileRegistryStoreContractTest extends RegistryStoreContract {
  @TempDir Path dir;

  @Override
  protected RegistryStore newStore() {
    return open();
  }

  @Override
  protected RegistryStore reopen() {
    return open();
  }

  private RegistryStore open() {
    return Backends.load(
        RegistryStore.class,
        FileRegistryStore.NAME,
        Map.of(FileRegistryStoreFactory.DIR, dir.resolve("registry").toString()));
  }
}
