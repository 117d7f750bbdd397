package dev.lockstep.spi.model;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendException;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue of trained model versions and their lineage. It stores descriptions, not artifacts:
 * the artifact stays where its {@link ModelVersion#uri()} points. A registered version never
 * changes.
 *
 * <p>When {@link #register} returns, the version is durable and visible to every later read.
 * Instances are thread-safe.
 */
public interface ModelStore extends Backend {

  /**
   * Records {@code model}.
   *
   * @throws AlreadyExistsException if that name and version are registered; nothing changes
   * @throws BackendException if nothing was registered
   */
  void register(ModelVersion model);

  /**
   * Version {@code version} of model {@code name}, or empty if it is not registered.
   *
   * @throws BackendException if the store failed
   */
  Optional<ModelVersion> get(String name, long version);

  /**
   * Every version of model {@code name}, by ascending version; empty for an unknown model.
   *
   * @throws BackendException if the store failed
   */
  List<ModelVersion> versions(String name);

  /**
   * The highest version of model {@code name}, or empty for an unknown model.
   *
   * @throws BackendException if the store failed
   */
  default Optional<ModelVersion> latest(String name) {
    List<ModelVersion> versions = versions(name);
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }
}
