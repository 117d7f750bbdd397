package dev.lockstep.testkit.fakes;

import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A registry store in a list, with commit times one second apart. */
public final class InMemoryRegistryStore implements RegistryStore {
  private final List<RegistryVersion> versions = new ArrayList<>();
  private int commits;

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
    if (expectedVersion != versions.size()) {
      throw new CommitConflictException(expectedVersion, current().orElse(null));
    }
    RegistryVersion version = new RegistryVersion(expectedVersion + 1,
        Instant.parse("2024-05-01T10:00:00Z").plusSeconds(versions.size()), content);
    versions.add(version);
    commits++;
    return version;
  }

  @Override
  public synchronized List<RegistryVersion> history() {
    return List.copyOf(versions);
  }

  @Override
  public synchronized Optional<RegistryVersion> version(long version) {
    return version < 1 || version > versions.size()
        ? Optional.empty() : Optional.of(versions.get((int) version - 1));
  }

  /** How many commits succeeded. */
  public synchronized int commits() {
    return commits;
  }

  @Override
  public void close() {}
}
