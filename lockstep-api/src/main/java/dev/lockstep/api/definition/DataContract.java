package dev.lockstep.api.definition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the producer of a source promises its consumers (a data contract): the rules every write of
 * the source must pass, and when its circuit breaker trips. Rows that fail go to the source's
 * quarantine table with the rule, their position and their raw payload.
 *
 * @param source the source the contract covers (at most one contract per source)
 * @param rules the rules, in declaration order; a row is quarantined for the first it fails
 * @param breaker when to stop the source, if ever
 * @param description free text for people
 */
public record DataContract(
    String source, List<QualityRule> rules, Optional<CircuitBreakerPolicy> breaker, String description) {
  public DataContract {
    Names.identifier("source of contract", source);
    rules = Names.list(rules);
    breaker = breaker == null ? Optional.empty() : breaker;
    description = description == null ? "" : description;
  }

  /** The contract's rules of the kind {@code type}. */
  public <T extends QualityRule> List<T> rules(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return rules.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
