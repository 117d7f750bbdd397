package dev.lockstep.embedded.registry;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.registry.RegistryStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Creates {@link FileRegistryStore}s under the name {@value FileRegistryStore#NAME}, configured by
 * {@value #DIR}, the directory of the version files (created if missing).
 *
 * <pre>{@code
 * RegistryStore store = Backends.load(RegistryStore.class, "file", Map.of("dir", ".lockstep/registry"));
 * }</pre>
 */
public final class FileRegistryStoreFactory implements BackendFactory<RegistryStore> {
  /** The directory of the version files; required. */
  public static final String DIR = "dir";

  @Override
  public String name() {
    return FileRegistryStore.NAME;
  }

  @Override
  public Class<RegistryStore> role() {
    return RegistryStore.class;
  }

  /**
   * @throws BackendConfigException if {@value #DIR} is missing or not a path
   * @throws BackendException if the directory cannot be created or read
   */
  @Override
  public RegistryStore create(BackendConfig config) {
    String dir = config.required(DIR);
    try {
      return new FileRegistryStore(Path.of(dir));
    } catch (InvalidPathException e) {
      throw new BackendConfigException("Cannot configure backend '" + config.backend()
          + "': property '" + DIR + "' is not a path: " + e.getReason() + " (give a directory)");
    }
  }
}
