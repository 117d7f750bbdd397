package dev.lockstep.definition;

import dev.lockstep.api.definition.FeatureRepository;
import java.util.Set;

/**
 * What every check of a repository needs: the repository, where its definitions were written, the
 * definitions already reported as broken, and the problems found so far.
 */
record CheckContext(
    FeatureRepository repository, Locator locator, Set<String> broken, Problems problems) {

  /** Reports {@code message} at {@code field} of {@code definition} (null: the definition). */
  void report(Object definition, String field, String message) {
    problems.add(locator.of(definition, field), message);
  }

  /** Whether a definition of that kind and name failed to build and was reported already. */
  boolean isBroken(String kind, String name) {
    return broken.contains(ParseResult.brokenKey(kind, name));
  }

  /** Whether some version of the feature failed to build and was reported already. */
  boolean isBrokenFeature(String view, String feature) {
    return broken.contains(ParseResult.brokenFeature(view, feature));
  }
}
