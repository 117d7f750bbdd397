package dev.lockstep.spi.fake;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendFactory;
import dev.lockstep.spi.model.ModelStore;
import dev.lockstep.spi.model.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A model store in memory. */
public class MemoryModelStore implements ModelStore {
  private final Map<String, TreeMap<Long, ModelVersion>> models = new TreeMap<>();

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized void register(ModelVersion model) {
    TreeMap<Long, ModelVersion> versions =
        models.computeIfAbsent(model.name(), n -> new TreeMap<>());
    if (versions.putIfAbsent(model.version(), model) != null) {
      throw new AlreadyExistsException(
          "Cannot register model '"
              + model.name()
              + "' version "
              + model.version()
              + ": it is already registered");
    }
  }

  @Override
  public synchronized Optional<ModelVersion> get(String name, long version) {
    return Optional.ofNullable(models.getOrDefault(name, new TreeMap<>()).get(version));
  }

  @Override
  public synchronized List<ModelVersion> versions(String name) {
    return new ArrayList<>(models.getOrDefault(name, new TreeMap<>()).values());
  }

  @Override
  public void close() {}

  /** Registered in META-INF/services. */
  public static final class Factory implements BackendFactory<ModelStore> {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Class<ModelStore> role() {
      return ModelStore.class;
    }

    @Override
    public ModelStore create(BackendConfig config) {
      return new MemoryModelStore();
    }
  }
}
