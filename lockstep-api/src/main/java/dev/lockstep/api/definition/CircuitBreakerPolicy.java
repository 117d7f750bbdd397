package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.time.Duration;

/**
 * When a source's circuit breaker trips: once at least {@code minRows} rows were judged within the
 * last {@code interval}, and the fraction of them that failed a rule reaches {@code
 * maxFailureRate}. An open breaker stops the source from reaching the online store (batch ingests
 * are refused, pushes are refused, feeds and the applier pause) until an operator resets it.
 */
public record CircuitBreakerPolicy(double maxFailureRate, Duration interval, long minRows) {
  /** The interval when none is declared. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
  /** The minimum number of rows when none is declared. */
  public static final long DEFAULT_MIN_ROWS = 100;

  public CircuitBreakerPolicy {
    if (!(maxFailureRate > 0 && maxFailureRate <= 1)) {
      throw new InvalidDefinitionException("Cannot define circuit breaker: max_failure_rate must be above 0 and at most 1, got "
          + maxFailureRate + " (write e.g. max_failure_rate: 0.05)");
    }
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new InvalidDefinitionException("Cannot define circuit breaker: interval must be positive (write interval: 5m)");
    }
    if (minRows < 1) {
      throw new InvalidDefinitionException("Cannot define circuit breaker: min_rows must be at least 1, got " + minRows);
    }
  }
}
