package dev.lockstep.core.quality;

import dev.lockstep.core.internal.SystemTables;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.definition.CircuitBreakerPolicy;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.core.internal.OfflineTables;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsIdempotentAppends;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The circuit breakers of a project's sources, as one process sees them.
 *
 * <p><b>Trip.</b> Every judged row of a source with a {@link CircuitBreakerPolicy} counts in a
 * sliding window of the policy's interval, kept in {@value #BUCKETS} buckets; once the window holds
 * at least {@code min_rows} rows and the failed fraction reaches {@code max_failure_rate}, the
 * breaker opens. The window is this process's: a server counts its streams, a {@code lockstep
 * ingest} its file together with the source's earlier ingests within the interval, which every
 * process records ({@link #recordBatch}, {@link QualityRuns}).
 *
 * <p><b>State.</b> Opening and resetting append a row to the offline table {@value #TABLE}
 * (source, state, reason, actor, rows, failed; event time = when), which every process of the
 * project reads: the newest row of a source is its state. A breaker reset by {@code lockstep
 * breaker reset} in another process is seen at the next {@link #refresh()}.
 *
 * <p>Thread-safe.
 */
public final class Breakers {
  /** The table of breaker transitions. */
  public static final String TABLE = SystemTables.BREAKERS.name();
  /** Buckets of the sliding window. */
  static final int BUCKETS = 12;
  static final Schema SCHEMA = SystemTables.BREAKERS.schema();

  /** A breaker's state: open or closed, since when, why and by whom. */
  public record State(String source, boolean open, Instant since, String reason, String actor) {
    static State closed(String source) {
      return new State(source, false, null, "", "");
    }

    /** The state as JSON-friendly values for status pages. */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("state", open ? "OPEN" : "CLOSED");
      map.put("since", since == null ? null : since.toString());
      map.put("reason", reason.isEmpty() ? null : reason);
      map.put("actor", actor.isEmpty() ? null : actor);
      return map;
    }
  }

  /** What the sliding window of a source holds now. */
  public record Window(long rows, long failed) {
    public Double failureRate() {
      return rows == 0 ? null : (double) failed / rows;
    }
  }

  private final SupportsIdempotentAppends store;
  private final Clock clock;
  private final Map<String, CircuitBreakerPolicy> policies = new HashMap<>();
  private final Map<String, State> states = new HashMap<>();
  private final Map<String, long[][]> windows = new HashMap<>();
  private long seenSequence = Long.MIN_VALUE;

  public Breakers(SupportsIdempotentAppends store, FeatureRepository repository, Clock clock) {
    this.store = store;
    this.clock = clock;
    for (DataContract contract : repository.contracts()) {
      contract.breaker().ifPresent(policy -> policies.put(contract.source(), policy));
    }
    refresh();
  }

  /** Reads the table again if it changed: picks up trips and resets made by other processes. */
  public synchronized void refresh() {
    if (!store.tables().contains(TABLE)) {
      return;
    }
    long highest = store.highestSequence(TABLE);
    if (highest == seenSequence) {
      return;
    }
    Map<String, Row> newest = new HashMap<>();
    try (CloseableIterator<Row> rows = store.scan(TABLE, ScanRequest.latest())) {
      while (rows.hasNext()) {
        Row row = rows.next();
        newest.merge((String) row.value(0), row, (a, b) -> a.sequence() >= b.sequence() ? a : b);
      }
    }
    newest.forEach((source, row) -> {
      boolean open = "OPEN".equals(row.value(1));
      State before = states.get(source);
      states.put(source, new State(source, open, Instant.ofEpochMilli(row.eventTimeMillis()), (String) row.value(2),
          (String) row.value(3)));
      if (before != null && before.open() && !open) {
        windows.remove(source);
      }
    });
    seenSequence = highest;
  }

  /** The state of {@code source}'s breaker (closed if it never opened). */
  public synchronized State state(String source) {
    return states.getOrDefault(source, State.closed(source));
  }

  public synchronized boolean isOpen(String source) {
    return state(source).open();
  }

  /** The breaker policy of {@code source}, if its contract declares one. */
  public Optional<CircuitBreakerPolicy> policy(String source) {
    return Optional.ofNullable(policies.get(source));
  }

  /**
   * @throws BreakerOpenException if {@code source}'s breaker is open, saying what to do
   */
  public void requireClosed(String source, String action) {
    State state = state(source);
    if (state.open()) {
      throw new BreakerOpenException(source, "Cannot " + action + ": the circuit breaker of source '" + source
          + "' is open since " + state.since() + " (" + state.reason() + "); inspect the rows with lockstep"
          + " quarantine list " + source + ", fix the data or the contract, then run lockstep breaker reset "
          + source);
    }
  }

  /**
   * Counts {@code rows} judged rows of {@code source}, {@code failed} of them refused, and opens the
   * breaker if the window now crosses the policy's rate.
   *
   * @param actor who wrote the rows, for the table ({@code ingest data/x.csv}, {@code push})
   * @return whether this call opened the breaker
   */
  public synchronized boolean record(String source, long rows, long failed, String actor) {
    CircuitBreakerPolicy policy = policies.get(source);
    if (policy == null || rows == 0 || state(source).open()) {
      return false;
    }
    long now = clock.millis();
    long width = Math.max(1, policy.interval().toMillis() / BUCKETS);
    long[][] window = windows.computeIfAbsent(source, ignored -> new long[BUCKETS][3]);
    long bucket = now / width;
    long[] slot = window[(int) (bucket % BUCKETS)];
    if (slot[0] != bucket) {
      slot[0] = bucket;
      slot[1] = 0;
      slot[2] = 0;
    }
    slot[1] += rows;
    slot[2] += failed;
    return tripIfCrossed(source, policy, window(window, bucket), actor);
  }

  /**
   * Judges one batch ingest of {@code rows} rows, {@code failed} of them refused, together with the
   * earlier ingests of the source within the policy's interval ({@code earlierRows}, {@code
   * earlierFailed}: recorded by any process, see {@link QualityRuns}), and opens the breaker if
   * they cross the policy's rate. The streams' window is not touched.
   *
   * @return whether this call opened the breaker
   */
  public synchronized boolean recordBatch(String source, long rows, long failed, long earlierRows,
      long earlierFailed, String actor) {
    CircuitBreakerPolicy policy = policies.get(source);
    if (policy == null || rows == 0 || state(source).open()) {
      return false;
    }
    return tripIfCrossed(source, policy, new Window(rows + earlierRows, failed + earlierFailed), actor);
  }

  private boolean tripIfCrossed(String source, CircuitBreakerPolicy policy, Window current, String actor) {
    if (current.rows() < policy.minRows() || current.failed() < policy.maxFailureRate() * current.rows()) {
      return false;
    }
    String reason = String.format(java.util.Locale.ROOT, "%d of %d rows failed the contract in the last %s (%.1f%%,"
        + " at most %.1f%% allowed)", current.failed(), current.rows(),
        dev.lockstep.definition.Durations.format(policy.interval()), 100.0 * current.failed() / current.rows(),
        100.0 * policy.maxFailureRate());
    append(source, true, reason, actor, current);
    windows.remove(source);
    return true;
  }

  /** The rows and failures of {@code source} in its current window (zeros without a policy). */
  public synchronized Window window(String source) {
    CircuitBreakerPolicy policy = policies.get(source);
    long[][] window = windows.get(source);
    if (policy == null || window == null) {
      return new Window(0, 0);
    }
    long width = Math.max(1, policy.interval().toMillis() / BUCKETS);
    return window(window, clock.millis() / width);
  }

  private static Window window(long[][] window, long bucket) {
    long rows = 0;
    long failed = 0;
    for (long[] slot : window) {
      if (slot[0] > bucket - BUCKETS && slot[0] <= bucket) {
        rows += slot[1];
        failed += slot[2];
      }
    }
    return new Window(rows, failed);
  }

  /**
   * Closes {@code source}'s breaker and empties its window.
   *
   * @return the state before
   * @throws LockstepException if the source has no breaker policy and never opened
   */
  public synchronized State reset(String source, String actor) {
    refresh();
    State before = state(source);
    if (!policies.containsKey(source) && !states.containsKey(source)) {
      throw new UnknownNameException("Cannot reset the circuit breaker of source '" + source + "': it has none"
          + (policies.isEmpty() ? " (no contract declares a circuit_breaker)"
              : " (sources with one: " + new TreeMap<>(policies).keySet() + ")"));
    }
    if (before.open()) {
      append(source, false, "reset", actor, new Window(0, 0));
    }
    windows.remove(source);
    return before;
  }

  /** Every source with a policy or a recorded state, with its state and window, for status pages. */
  public synchronized Map<String, Map<String, Object>> status() {
    Map<String, Map<String, Object>> status = new TreeMap<>();
    java.util.Set<String> sources = new java.util.TreeSet<>(policies.keySet());
    sources.addAll(states.keySet());
    for (String source : sources) {
      Map<String, Object> map = new LinkedHashMap<>(state(source).toMap());
      Window window = window(source);
      map.put("window_rows", window.rows());
      map.put("window_failed", window.failed());
      map.put("window_failure_rate", window.failureRate());
      CircuitBreakerPolicy policy = policies.get(source);
      map.put("max_failure_rate", policy == null ? null : policy.maxFailureRate());
      status.put(source, map);
    }
    return status;
  }

  private void append(String source, boolean open, String reason, String actor, Window window) {
    long now = clock.millis();
    Row row = new Row(now, now, 0, List.of(source, open ? "OPEN" : "CLOSED", reason, actor, window.rows(),
        window.failed()));
    OfflineTables.appendNumbered(store, TABLE, SCHEMA, "append to", List.of(row), "breaker:" + UUID.randomUUID());
    states.put(source, new State(source, open, Instant.ofEpochMilli(now), reason, actor));
    seenSequence = store.highestSequence(TABLE);
  }
}
