package dev.lockstep.bench.online;

import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures event → servable latency. About every {@code 1 / probesPerSecond}, a pusher puts one
 * probe event into the batch it is about to push: the only event of a fresh card. A checker thread
 * fetches the pending probe cards' {@value FraudProject#COUNT_FEATURE} through the embedded client,
 * all in one batch request (one multi-key read of the online store), every {@value #POLL_MICROS}
 * µs; the latency is from the start of the push call to the end of the first fetch whose count is
 * 1. So the figures include the push (group commit, fsync), the apply lag and up to
 * one poll period. Probes still pending when {@link #finish} gives up are recorded with their age
 * then, a lower bound.
 */
final class ServableProbes {
  static final long POLL_MICROS = 500;

  private record Probe(String card, long pushStart) {}

  private final FeatureClient client;
  private final String prefix;
  private final long intervalNanos;
  private final AtomicLong nextDue = new AtomicLong(System.nanoTime());
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentLinkedQueue<Probe> sent = new ConcurrentLinkedQueue<>();
  private final List<Probe> pending = new ArrayList<>();
  private final Latencies latencies = new Latencies();
  private final Thread checker;
  private volatile boolean running = true;
  private volatile long resolved;

  ServableProbes(FeatureClient client, String prefix, long probesPerSecond) {
    this.client = client;
    this.prefix = prefix;
    this.intervalNanos = 1_000_000_000L / Math.max(1, probesPerSecond);
    this.checker = new Thread(this::check, "probe-checker");
    checker.setDaemon(true);
    checker.start();
  }

  /** A fresh probe card if one is due now (at most one caller gets each), else null. */
  String due() {
    long now = System.nanoTime();
    long due = nextDue.get();
    if (now >= due && nextDue.compareAndSet(due, now + intervalNanos)) {
      return prefix + sequence.incrementAndGet();
    }
    return null;
  }

  /** Records that the push carrying {@code card}'s event started at {@code pushStart}. */
  void pushing(String card, long pushStart) {
    sent.add(new Probe(card, pushStart));
  }

  private void check() {
    while (running) {
      for (Probe probe = sent.poll(); probe != null; probe = sent.poll()) {
        pending.add(probe);
      }
      if (!pending.isEmpty()) {
        List<Map<String, Object>> entities = new ArrayList<>(pending.size());
        for (Probe probe : pending) {
          entities.add(Map.of("card_id", probe.card()));
        }
        List<FeatureVector> vectors = client.features(new BatchFeatureRequest(Optional.empty(),
            List.of(FraudProject.COUNT_FEATURE), entities, Map.of()));
        long now = System.nanoTime();
        for (int i = pending.size() - 1; i >= 0; i--) {
          Object count = vectors.get(i).value(FraudProject.COUNT_COLUMN);
          if (count instanceof Number number && number.longValue() >= 1) {
            latencies.recordSynchronized(now - pending.get(i).pushStart());
            pending.remove(i);
            resolved++;
          }
        }
      }
      LockSupport.parkNanos(POLL_MICROS * 1_000);
    }
  }

  /**
   * Waits until every probe issued so far is servable, at most {@code timeoutMillis}, then stops
   * checking and records the probes still pending with their age.
   *
   * @return how many probes were not servable in time
   */
  long finish(long timeoutMillis) throws InterruptedException {
    long issued = sequence.get();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (resolved < issued && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    running = false;
    checker.join();
    long now = System.nanoTime();
    for (Probe probe = sent.poll(); probe != null; probe = sent.poll()) {
      pending.add(probe);
    }
    for (Probe probe : pending) {
      latencies.record(now - probe.pushStart());
    }
    return pending.size();
  }

  Latencies latencies() {
    return latencies;
  }
}
