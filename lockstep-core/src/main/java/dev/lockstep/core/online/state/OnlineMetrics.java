package dev.lockstep.core.online.state;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the online runtime per source, read by {@code lockstep status}, the server's health
 * and its Prometheus metrics.
 *
 * <p>Thread-safe: adders and atomics, updated by the serving and streaming threads.
 */
public final class OnlineMetrics {
  private final Map<String, SourceCounters> sources = new ConcurrentHashMap<>();
  private final LongAdder vectorsServed = new LongAdder();

  /** The counters of one source. */
  public static final class SourceCounters {
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder applied = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder undecodable = new LongAdder();
    final LongAdder offline = new LongAdder();
    final LongAdder judged = new LongAdder();
    final LongAdder quarantined = new LongAdder();
    final AtomicLong applyLagMillis = new AtomicLong();

    /** The counters by name, e.g. {@code accepted}, {@code applied}, {@code late_dropped}. */
    public Map<String, Long> snapshot() {
      Map<String, Long> values = new TreeMap<>();
      values.put("accepted", accepted.sum());
      values.put("rejected", rejected.sum());
      values.put("applied", applied.sum());
      values.put("late_dropped", late.sum());
      values.put("undecodable", undecodable.sum());
      values.put("offline_appended", offline.sum());
      values.put("apply_lag_ms", applyLagMillis.get());
      values.put("judged", judged.sum());
      values.put("quarantined", quarantined.sum());
      return values;
    }
  }

  public SourceCounters source(String name) {
    return sources.computeIfAbsent(name, ignored -> new SourceCounters());
  }

  public void accepted(String source, long accepted, long rejected) {
    SourceCounters counters = source(source);
    counters.accepted.add(accepted);
    counters.rejected.add(rejected);
  }

  /** Counts events judged against the source's contract on the stream path, and those quarantined. */
  public void judged(String source, long judged, long quarantined) {
    SourceCounters counters = source(source);
    counters.judged.add(judged);
    counters.quarantined.add(quarantined);
  }

  public void applied(String source, long applied, long late, long undecodable, long lagMillis) {
    SourceCounters counters = source(source);
    counters.applied.add(applied);
    counters.late.add(late);
    counters.undecodable.add(undecodable);
    if (applied > 0) {
      counters.applyLagMillis.set(lagMillis);
    }
  }

  public void offline(String source, long rows) {
    source(source).offline.add(rows);
  }

  public void served(long vectors) {
    vectorsServed.add(vectors);
  }

  /** Every source's counters, by source name. */
  public Map<String, Map<String, Long>> sources() {
    Map<String, Map<String, Long>> result = new TreeMap<>();
    sources.forEach((name, counters) -> result.put(name, counters.snapshot()));
    return result;
  }

  /** How many feature vectors were served. */
  public long vectorsServed() {
    return vectorsServed.sum();
  }
}
