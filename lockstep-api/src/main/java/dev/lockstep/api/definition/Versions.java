package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;

/** Feature versions: {@code name@vN}, N from 1. */
final class Versions {
  private Versions() {}

  static void check(String name, int version) {
    if (version < 1) {
      throw new InvalidDefinitionException(
          "Cannot define feature '" + name + "': version " + version + " (versions start at 1)");
    }
  }

  /** The version in a suffix such as {@code v2}, or throws naming the whole reference. */
  static int parse(String reference, String suffix) {
    if (suffix.length() < 2 || suffix.charAt(0) != 'v') {
      throw new InvalidDefinitionException(
          "Cannot read feature reference '" + reference + "': write the version as @v2");
    }
    try {
      int version = Integer.parseInt(suffix.substring(1));
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new InvalidDefinitionException(
        "Cannot read feature reference '" + reference + "': versions are v1, v2, ...");
  }
}
