package dev.lockstep.registry;

import java.util.ArrayList;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.definition.DefinitionErrors;
import dev.lockstep.definition.RepositoryValidator;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The versioned registry of applied definitions over a {@link RegistryStore}: {@link #plan} a
 * repository (preview), then {@link #apply} the plan (commit), as Iceberg's {@code PendingUpdate}
 * does. Every version is kept.
 *
 * <pre>{@code
 * Plan plan = registry.plan(RepositoryLoader.load(dir).repository());
 * System.out.print(plan.render());
 * if (plan.refusals().isEmpty()) {
 *   RegistryDocument committed = registry.apply(plan);
 * }
 * }</pre>
 *
 * <p>Thread-safe as its store is; concurrent applies are serialized by the store's compare-and-set.
 */
public final class Registry implements AutoCloseable {
  private final RegistryStore store;

  /** A registry over {@code store}, which it owns and closes. */
  public Registry(RegistryStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The newest version, or empty if nothing was applied yet.
   *
   * @throws CorruptDataException if the stored document cannot be read
   * @throws BackendException if the store failed
   */
  public Optional<RegistryDocument> current() {
    return store.current().map(RegistryCodec::decode);
  }

  /**
   * Version {@code version}, or empty if there is none.
   *
   * @throws CorruptDataException if the stored document cannot be read
   * @throws BackendException if the store failed
   */
  public Optional<RegistryDocument> version(long version) {
    return store.version(version).map(RegistryCodec::decode);
  }

  /**
   * Every version, oldest first.
   *
   * @throws CorruptDataException if a stored document cannot be read
   * @throws BackendException if the store failed
   */
  public List<RegistryDocument> history() {
    return store.history().stream().map(RegistryCodec::decode).toList();
  }

  /**
   * What applying {@code proposed} to the current version would change, and what is refused. The
   * repository's references are pinned: an unversioned one to its feature's highest version.
   * On-demand classes are not loaded here (load the repository with {@link
   * dev.lockstep.definition.RepositoryLoader} to check them).
   *
   * @throws DefinitionErrors if {@code proposed} is not valid
   * @throws CorruptDataException if the current document cannot be read
   * @throws BackendException if the store failed
   */
  public Plan plan(FeatureRepository proposed) {
    RepositoryValidator.validate(proposed);
    Optional<RegistryDocument> current = current();
    byte[] content = RegistryCodec.encode(proposed);
    FeatureRepository pinned = RegistryCodec.decode(content);
    FeatureRepository before =
        current.map(RegistryDocument::repository).orElse(FeatureRepository.empty());
    List<String> refusals = new ArrayList<>(UsageRule.refusals(before, pinned));
    refusals.addAll(tableRefusals(before, pinned));
    return new Plan(current, pinned, content, Differ.changes(before, pinned), refusals);
  }

  /**
   * The source changes an offline table cannot take in place: a dropped or retyped column, a key
   * that stops or starts being one. New columns and another order are fine (the table evolves).
   */
  private static List<String> tableRefusals(FeatureRepository before, FeatureRepository after) {
    List<String> refusals = new ArrayList<>();
    for (Source source : after.sources()) {
      before.source(source.name()).ifPresent(was -> {
        String incompatibility = SourceTables.incompatibility(was, source);
        if (incompatibility != null) {
          refusals.add("Cannot change source '" + source.name() + "': " + incompatibility + "; declare a new source"
              + " for the new shape");
        }
      });
    }
    return refusals;
  }

  /**
   * Commits {@code plan} as the next version. A plan without changes commits nothing and returns
   * the version it was computed against, if that is still current (an empty registry gets version
   * 1 all the same).
   *
   * @return the committed (or unchanged current) version
   * @throws ChangeRefusedException if the plan has refusals; nothing was committed
   * @throws CommitConflictException if another version was committed since the plan was made;
   *     nothing was committed (plan again)
   * @throws OutcomeUnknownException if the commit may or may not have happened (read {@link
   *     #current()} before retrying)
   * @throws BackendException if the store failed and nothing was committed
   */
  public RegistryDocument apply(Plan plan) {
    if (!plan.refusals().isEmpty()) {
      throw new ChangeRefusedException(plan.baseVersion(), plan.refusals());
    }
    if (plan.isEmpty() && plan.current().isPresent()) {
      Optional<RegistryVersion> current = store.current();
      if (current.map(RegistryVersion::version).orElse(0L) != plan.baseVersion()) {
        throw new CommitConflictException(plan.baseVersion(), current.orElse(null));
      }
      return plan.current().get();
    }
    RegistryVersion committed = store.commit(plan.baseVersion(), plan.content());
    return new RegistryDocument(committed.version(), committed.committedAt(), plan.proposed());
  }

  /** Closes the store. */
  @Override
  public void close() {
    store.close();
  }
}
