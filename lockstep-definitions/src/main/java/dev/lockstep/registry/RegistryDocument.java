package dev.lockstep.registry;

import dev.lockstep.api.definition.FeatureRepository;
import java.time.Instant;
import java.util.Objects;

/**
 * One committed version of the registry: the applied definitions, with every reference of a
 * feature service or an on-demand view pinned to a feature version ({@code view:feature@vN}) as it
 * resolved at apply time, definitions in name order. Older feature versions that were kept in the
 * definitions stay here; every earlier document stays in the registry's history.
 *
 * @param version the registry version, from 1
 * @param committedAt when it was committed, by the registry store's clock
 * @param repository the applied, pinned definitions
 */
public record RegistryDocument(long version, Instant committedAt, FeatureRepository repository) {

  /** @throws IllegalArgumentException if the version is below 1 or a reference is not pinned */
  public RegistryDocument {
    if (version < 1) {
      throw new IllegalArgumentException(
          "Cannot build registry document version " + version + ": versions start at 1");
    }
    Objects.requireNonNull(committedAt, "committedAt");
    if (!Pinning.isPinned(repository)) {
      throw new IllegalArgumentException(
          "Cannot build registry document version " + version + ": a reference is not pinned");
    }
  }
}
