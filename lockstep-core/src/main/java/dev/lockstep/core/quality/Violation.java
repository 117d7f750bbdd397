package dev.lockstep.core.quality;

import java.util.Objects;

/**
 * Why a row was refused: the id of the rule it failed ({@code range(amount)}, or {@code schema}
 * when it does not fit the source's columns) and one line saying what is wrong.
 */
public record Violation(String rule, String reason) {
  public Violation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
  }

  /** A row that does not fit the source's declared columns and types. */
  public static Violation schema(String reason) {
    return new Violation(dev.lockstep.api.definition.QualityRule.SCHEMA, reason);
  }
}
