package dev.lockstep.definition;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints: the closest candidate by edit distance, if it is close enough. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code name}: equal ignoring case, or within an edit distance of a
   * third of the name's length (at least 1, at most 3). Ties go to the first candidate.
   */
  public static Optional<String> closest(String name, Collection<String> candidates) {
    String lower = name.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, Math.min(3, name.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** {@code " (did you mean 'x'?)"} or {@code ""}. */
  public static String hint(String name, Collection<String> candidates) {
    return closest(name, candidates).map(match -> " (did you mean '" + match + "'?)").orElse("");
  }

  /**
   * The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
   * neighbouring characters each cost 1 (so {@code crad} is 1 from {@code card}).
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
