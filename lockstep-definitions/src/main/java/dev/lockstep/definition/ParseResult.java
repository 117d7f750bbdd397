package dev.lockstep.definition;

import dev.lockstep.api.definition.FeatureRepository;
import java.util.HashSet;
import java.util.Set;

/**
 * What reading a repository's files gave: the definitions that could be built, where each was
 * written, the problems found, and the names of definitions that could not be built. Checks skip
 * "missing" errors for broken names, which were already reported.
 */
final class ParseResult {
  final FeatureRepository.Builder builder = FeatureRepository.builder();
  final LocationIndex locations = new LocationIndex();
  final Set<String> broken = new HashSet<>();
  final Problems problems = new Problems();

  /** The key of a broken definition: {@code source:payments}; views of both kinds are {@code view}. */
  static String brokenKey(String kind, String name) {
    return kind + ":" + name;
  }

  /** The key of a broken feature, any version: {@code feature:card_txn:txn_count_1h}. */
  static String brokenFeature(String view, String feature) {
    return "feature:" + view + ":" + feature;
  }
}
