package dev.lockstep.ops.quarantine;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which quarantined rows an operator means: by rule, by id, pending only or all, and how many to
 * list. {@link #pending()} is the default: every row not replayed yet, the newest {@value
 * #DEFAULT_LIMIT} listed. A replay ignores {@link #limit()} and {@link #includeReplayed()}: it takes
 * every pending row that matches, since a replayed row must not be re-ingested twice.
 *
 * @param rule a rule id ({@code range(amount)}) or a rule kind that matches every rule of that kind
 *     ({@code range} matches {@code range(amount)} and {@code range(fee)}); empty for every rule
 * @param ids only these quarantine ids (row sequences of {@code <source>__quarantine}); empty for all
 * @param includeReplayed whether rows already replayed are listed too
 * @param limit at most this many rows are listed, the newest ones; at least 1
 */
public record QuarantineFilter(Optional<String> rule, Set<Long> ids, boolean includeReplayed, int limit) {
  /** How many rows a listing shows unless told otherwise. */
  public static final int DEFAULT_LIMIT = 50;

  /** @throws IllegalArgumentException if {@code limit} is below 1 or {@code rule} is blank */
  public QuarantineFilter {
    rule = Objects.requireNonNull(rule, "rule").map(String::strip);
    if (rule.isPresent() && rule.get().isEmpty()) {
      throw new IllegalArgumentException("Cannot filter quarantined rows by rule: the rule is blank (give a rule id"
          + " such as range(amount), or a kind such as range)");
    }
    ids = Set.copyOf(new TreeSet<>(Objects.requireNonNull(ids, "ids")));
    if (limit < 1) {
      throw new IllegalArgumentException("Cannot list quarantined rows: the limit is " + limit + " (give 1 or more)");
    }
  }

  /** Every row not replayed yet, the newest {@value #DEFAULT_LIMIT} listed. */
  public static QuarantineFilter pending() {
    return new QuarantineFilter(Optional.empty(), Set.of(), false, DEFAULT_LIMIT);
  }

  /** This filter, only rows that failed {@code rule} (an id or a kind; null for every rule). */
  public QuarantineFilter withRule(String rule) {
    return new QuarantineFilter(Optional.ofNullable(rule), ids, includeReplayed, limit);
  }

  /** This filter, only the rows with these ids (empty for all). */
  public QuarantineFilter withIds(Collection<Long> ids) {
    return new QuarantineFilter(rule, Set.copyOf(ids), includeReplayed, limit);
  }

  /** This filter, listing rows already replayed too if {@code include}. */
  public QuarantineFilter withReplayed(boolean include) {
    return new QuarantineFilter(rule, ids, include, limit);
  }

  public QuarantineFilter withLimit(int limit) {
    return new QuarantineFilter(rule, ids, includeReplayed, limit);
  }

  /** Whether {@code row} has a wanted id and rule, whatever its replay status. */
  public boolean selects(QuarantinedRow row) {
    return (ids.isEmpty() || ids.contains(row.id())) && rule.map(wanted -> matchesRule(wanted, row.rule())).orElse(true);
  }

  /** {@code range(amount)} matches itself and the kind {@code range}; {@code schema} matches itself. */
  static boolean matchesRule(String wanted, String rule) {
    return rule.equals(wanted) || rule.startsWith(wanted + "(");
  }
}
