package dev.lockstep.spi.fake;

import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A registry store in memory, with compare-and-set commits under a lock. */
public class MemoryRegistryStore implements RegistryStore {
  private final Clock clock;
  private final List<RegistryVersion> versions = new ArrayList<>();

  public MemoryRegistryStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized Optional<RegistryVersion> current() {
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  @Override
  public synchronized RegistryVersion commit(long expectedVersion, byte[] content) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expectedVersion < 0");
    }
    if (expectedVersion != versions.size()) {
      throw new CommitConflictException(expectedVersion, current().orElse(null));
    }
    RegistryVersion committed = new RegistryVersion(expectedVersion + 1, clock.instant(), content);
    versions.add(committed);
    return committed;
  }

  @Override
  public synchronized List<RegistryVersion> history() {
    return List.copyOf(versions);
  }

  @Override
  public synchronized Optional<RegistryVersion> version(long version) {
    return version < 1 || version > versions.size()
        ? Optional.empty()
        : Optional.of(versions.get((int) version - 1));
  }

  @Override
  public void close() {}

  /** Registered in META-INF/services. */
  public static final class Factory implements BackendFactory<RegistryStore> {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Class<RegistryStore> role() {
      return RegistryStore.class;
    }

    @Override
    public RegistryStore create(BackendConfig config) {
      return new MemoryRegistryStore(Clock.systemUTC());
    }
  }
}
