package dev.lockstep.spi.registry;

import dev.lockstep.api.LockstepException;

/**
 * A registry commit lost a race: another writer committed after the change was planned. Nothing was
 * committed. The message says which version won and when, and tells the user to plan again, e.g.
 * {@code "Cannot commit registry change planned against version 3: version 4 was committed at
 * 2024-05-01T10:00:00Z by another writer (re-run plan, then apply)"}.
 */
public class CommitConflictException extends LockstepException {
  private final long expectedVersion;
  private final long currentVersion;

  /**
   * @param expectedVersion the version the change was planned against (0 for an empty registry)
   * @param current the version that is current instead, or null if the registry is empty
   */
  public CommitConflictException(long expectedVersion, RegistryVersion current) {
    super(message(expectedVersion, current));
    this.expectedVersion = expectedVersion;
    this.currentVersion = current == null ? 0 : current.version();
  }

  private static String message(long expectedVersion, RegistryVersion current) {
    String winner =
        current == null
            ? "the registry is empty"
            : "version "
                + current.version()
                + " was committed at "
                + current.committedAt()
                + " by another writer";
    return "Cannot commit registry change planned against version "
        + expectedVersion
        + ": "
        + winner
        + " (re-run plan, then apply)";
  }

  /** The version the rejected change was planned against; 0 for an empty registry. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The version that is current; 0 if the registry is empty. */
  public long currentVersion() {
    return currentVersion;
  }
}
