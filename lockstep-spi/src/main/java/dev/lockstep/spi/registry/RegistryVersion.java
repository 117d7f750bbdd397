package dev.lockstep.spi.registry;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One committed version of the registry document: every definition (entities, sources, feature
 * views, services, models) as one opaque encoded document. Not copied (see {@link
 * dev.lockstep.spi.Backend}); equality compares contents.
 *
 * @param version from 1, increasing by exactly 1 per commit
 * @param committedAt when the commit happened, by the store's clock
 * @param content the encoded document
 */
public record RegistryVersion(long version, Instant committedAt, byte[] content) {

  /**
   * @throws IllegalArgumentException if {@code version < 1}
   * @throws NullPointerException if {@code committedAt} or {@code content} is null
   */
  public RegistryVersion {
    if (version < 1) {
      throw new IllegalArgumentException(
          "Cannot build registry version " + version + ": versions start at 1");
    }
    Objects.requireNonNull(committedAt, "committedAt");
    Objects.requireNonNull(content, "content");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RegistryVersion that
        && version == that.version
        && committedAt.equals(that.committedAt)
        && Arrays.equals(content, that.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, committedAt, Arrays.hashCode(content));
  }

  @Override
  public String toString() {
    return "RegistryVersion[version="
        + version
        + ", committedAt="
        + committedAt
        + ", content="
        + content.length
        + " bytes]";
  }
}
