package dev.lockstep.ops.parity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Builds the {@link ParitySummary} of one service from its checks, added in the order they were
 * recorded: all-time totals, and the monitor's checks of the last window kept to sum on demand.
 * Not thread-safe.
 */
final class ParityTally {
  private final String service;
  private final Duration window;
  private final Deque<ParityCheck> recent = new ArrayDeque<>();
  private ParitySummary.Totals allTime = ParitySummary.Totals.ZERO;
  private ParityCheck last;
  private ParityCheck lastMismatch;
  private ParityCheck lastReplay;

  ParityTally(String service, Duration window) {
    this.service = service;
    this.window = window;
  }

  void add(ParityCheck check) {
    if (!check.checkedBy().equals(ParityChecks.BY_SERVE)) {
      lastReplay = check;
      return;
    }
    allTime = allTime.plus(check);
    recent.addLast(check);
    last = check;
    if (check.mismatchedVectors() > 0) {
      lastMismatch = check;
    }
    trim(check.checkedAt());
  }

  /** The summary with {@code recent} over {@code [now - window, ...)}. */
  ParitySummary summary(Instant now) {
    trim(now);
    ParitySummary.Totals sum = ParitySummary.Totals.ZERO;
    Instant from = now.minus(window);
    for (ParityCheck check : recent) {
      if (!check.checkedAt().isBefore(from)) {
        sum = sum.plus(check);
      }
    }
    return new ParitySummary(service, window, sum, allTime, Optional.ofNullable(last).map(ParityCheck::checkedAt),
        Optional.ofNullable(lastMismatch).map(ParityCheck::checkedAt),
        Optional.ofNullable(lastMismatch).flatMap(ParityCheck::firstMismatch), Optional.ofNullable(lastReplay));
  }

  private void trim(Instant now) {
    Instant from = now.minus(window);
    while (!recent.isEmpty() && recent.peekFirst().checkedAt().isBefore(from)) {
      recent.removeFirst();
    }
  }
}
