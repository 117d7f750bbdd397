package dev.lockstep.spi.registry;

import dev.lockstep.spi.Backend;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import java.util.List;
import java.util.Optional;

/**
 * The versioned registry document, changed only by optimistic compare-and-set commits, so two
 * concurrent {@code lockstep apply} runs cannot silently overwrite each other. Every version is
 * kept. Embedded: files or an embedded database in the Lockstep directory; distributed: PostgreSQL.
 *
 * <p><b>Durability.</b> When {@link #commit} returns, the version is durable and every later {@link
 * #current()} on any process sharing the store returns it or a newer one.
 *
 * <p>Instances are thread-safe.
 */
public interface RegistryStore extends Backend {

  /**
   * The newest version, or empty if nothing was ever committed.
   *
   * @throws BackendException if the store failed
   */
  Optional<RegistryVersion> current();

  /**
   * Commits {@code content} as version {@code expectedVersion + 1} if and only if {@code
   * expectedVersion} is still the newest (0 meaning an empty registry).
   *
   * @return the committed version
   * @throws CommitConflictException if another version is current; nothing was committed
   * @throws IllegalArgumentException if {@code expectedVersion < 0}
   * @throws BackendException if nothing was committed
   * @throws OutcomeUnknownException if the commit may or may not have happened; compare {@link
   *     #current()} with {@code content} before retrying
   */
  RegistryVersion commit(long expectedVersion, byte[] content);

  /**
   * For implementations: checks the arguments of {@link #commit}.
   *
   * @throws IllegalArgumentException if {@code expectedVersion < 0}
   * @throws NullPointerException if {@code content} is null
   */
  static void checkCommit(long expectedVersion, byte[] content) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException(
          "Cannot commit registry version: expected version " + expectedVersion + " is negative");
    }
    java.util.Objects.requireNonNull(content, "content");
  }

  /**
   * Every version, oldest first.
   *
   * @throws BackendException if the store failed
   */
  List<RegistryVersion> history();

  /**
   * Version {@code version}, or empty if there is no such version.
   *
   * @throws BackendException if the store failed
   */
  Optional<RegistryVersion> version(long version);
}
