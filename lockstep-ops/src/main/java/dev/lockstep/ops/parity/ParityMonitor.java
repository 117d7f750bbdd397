package dev.lockstep.ops.parity;

import dev.lockstep.core.online.OnlineRuntime;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.core.Lockstep;
import dev.lockstep.spi.offline.OfflineStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks the parity invariant (docs/architecture.md, "Semantics") continuously in a serving process: every interval, on
 * its own thread, it replays the vectors logged since its last check in {@code AS_OF_INGEST} mode
 * and records the result in {@link ParityChecks#TABLE}; {@link #summaries()} sums them for status
 * and metrics.
 *
 * <p>Algorithm of one check: (1) flush the feature logger, so every vector served before the check
 * is in its log table; (2) pin each log table's current snapshot; (3) flush the online runtime's
 * offline appender ({@link OnlineRuntime#flushOffline()}); (4) per service, replay the pinned
 * snapshot's vectors with a log sequence above the last one checked, and record them. The boundary
 * is exact: a vector in the pinned snapshot was served before (3) began, and serving at {@code t}
 * sees exactly the events ingested before {@code t}, which were durable in the event log before
 * they were applied, hence before (3) began; (3) appends everything the log held when it began.
 * Vectors logged after (2) wait for the next check. The feature logger appends in sequence order
 * and is the table's only writer (the writer lease of {@code lockstep serve}), so "above the last
 * sequence checked" is exactly "not checked yet". After a restart the monitor resumes after the
 * highest sequence its recorded checks cover.
 *
 * <p>A check with no new vector records nothing. A failed check is counted ({@link #failures()}),
 * reported on one line of stderr and retried with the same vectors at the next interval; a check
 * whose recording failed is recorded again with the same commit key, so it is never recorded twice.
 * Serving never waits for the monitor: it takes no lock that serving takes.
 *
 * <p>Thread-safe.
 */
public final class ParityMonitor implements AutoCloseable {
  /** How often the monitor checks, by default. */
  public static final Duration INTERVAL_DEFAULT = Duration.ofSeconds(60);
  /** How far back the {@code recent} totals of {@link #summaries()} reach. */
  public static final Duration WINDOW = Duration.ofHours(24);
  /** How long {@link #close()} waits for a check in progress. */
  static final long CLOSE_TIMEOUT_MILLIS = 30_000;

  private record Pending(ParityCheck check, String commitKey) {}

  private final Lockstep lockstep;
  private final OfflineStore store;
  private final OnlineRuntime online;
  private final FeatureLogger logger;
  private final List<String> services;
  private final Duration interval;
  private final Clock clock = Clock.tickMillis(java.time.ZoneOffset.UTC);
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  /** Guarded by itself; the only lock readers of summaries take. */
  private final Map<String, ParityTally> tallies = new TreeMap<>();
  // only the monitor thread touches these
  private final Map<String, Long> checkedThrough = new HashMap<>();
  private final Map<String, Pending> pending = new HashMap<>();
  private boolean resumed;
  private String lastReported;
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String lastFailure;

  private ParityMonitor(Lockstep lockstep, OnlineRuntime online, FeatureLogger logger, List<String> services,
      Duration interval) {
    this.lockstep = lockstep;
    this.store = lockstep.offlineStore();
    this.online = online;
    this.logger = logger;
    this.services = services;
    this.interval = interval;
    services.forEach(service -> tallies.put(service, new ParityTally(service, WINDOW)));
    this.thread = new Thread(this::loop, "lockstep-parity-monitor");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /**
   * Starts checking, every {@code interval}, the vectors {@code logger} logs for {@code services}
   * while {@code online} serves them. The first check runs one interval from now. Close the monitor
   * before the logger and the runtime.
   *
   * @throws LockstepException if {@code services} is empty, {@code logger} does not log one of
   *     them, or {@code interval} is not positive
   */
  public static ParityMonitor start(Lockstep lockstep, OnlineRuntime online, FeatureLogger logger,
      Set<String> services, Duration interval) {
    if (services.isEmpty()) {
      throw new LockstepException("Cannot monitor parity: no feature service given (name the services logged"
          + " with --log-features)");
    }
    for (String service : services) {
      if (!logger.services().contains(service)) {
        throw new LockstepException("Cannot monitor the parity of service '" + service + "': its vectors are not"
            + " logged (logged: " + new java.util.TreeSet<>(logger.services()) + "; add it to --log-features)");
      }
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new LockstepException("Cannot monitor parity every " + interval + ": the interval must be positive");
    }
    ParityMonitor monitor = new ParityMonitor(lockstep, online, logger, List.copyOf(new java.util.TreeSet<>(services)),
        interval);
    monitor.thread.start();
    return monitor;
  }

  /**
   * Per service monitored, in name order: its summary now, from what this monitor recorded and, after
   * its first check, what was recorded before it started.
   */
  public Map<String, ParitySummary> summaries() {
    Instant now = clock.instant();
    Map<String, ParitySummary> summaries = new LinkedHashMap<>();
    synchronized (tallies) {
      tallies.forEach((service, tally) -> summaries.put(service, tally.summary(now)));
    }
    return summaries;
  }

  /** Check rounds completed, failed or not. */
  public long runs() {
    return runs.get();
  }

  /** Service checks that succeeded, including those that found no new vector. */
  public long checks() {
    return checks.get();
  }

  /** Service checks, or whole rounds, that failed. */
  public long failures() {
    return failures.get();
  }

  /** The message of the last failure, if any. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /**
   * For {@code GET /v1/status}: {@code interval_seconds}, {@code runs}, {@code checks}, {@code
   * failures}, {@code last_failure} (or null) and {@code services}, each service's {@link
   * ParitySummary#toMap()} by name.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("interval_seconds", interval.toMillis() / 1000.0);
    map.put("runs", runs());
    map.put("checks", checks());
    map.put("failures", failures());
    map.put("last_failure", lastFailure);
    Map<String, Object> byService = new LinkedHashMap<>();
    summaries().forEach((service, summary) -> byService.put(service, summary.toMap()));
    map.put("services", byService);
    return map;
  }

  /**
   * Stops checking: a check in progress finishes its current service first (waiting up to 30 s).
   * Idempotent.
   */
  @Override
  public void close() {
    stop.countDown();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(CLOSE_TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean stopped() {
    return stop.getCount() == 0;
  }

  private void loop() {
    try {
      while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
        runOnce();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One round: every service checked, each failing on its own. */
  private void runOnce() {
    try {
      resume();
      logger.flush();
      Map<String, Long> snapshots = new LinkedHashMap<>();
      for (String service : services) {
        store.currentSnapshot(FeatureLogger.table(service)).ifPresent(snapshot -> snapshots.put(service, snapshot.id()));
      }
      online.flushOffline();
      for (Map.Entry<String, Long> snapshot : snapshots.entrySet()) {
        if (stopped()) {
          return;
        }
        try {
          check(snapshot.getKey(), snapshot.getValue());
          checks.incrementAndGet();
        } catch (RuntimeException e) {
          failed("Cannot check the parity of service '" + snapshot.getKey() + "'", e);
        }
      }
    } catch (RuntimeException e) {
      failed("Cannot check parity", e);
    } finally {
      runs.incrementAndGet();
    }
  }

  /** Reads the checks recorded before this monitor started: where to resume, and the totals. */
  private void resume() {
    if (resumed) {
      return;
    }
    List<ParityCheck> recorded = ParityChecks.read(store, Optional.empty(), Optional.empty());
    synchronized (tallies) {
      for (ParityCheck check : recorded) {
        ParityTally tally = tallies.get(check.service());
        if (tally == null) {
          continue;
        }
        tally.add(check);
        if (check.checkedBy().equals(ParityChecks.BY_SERVE) && check.extent().isPresent()) {
          checkedThrough.merge(check.service(), check.extent().get().lastSequence(), Math::max);
        }
      }
    }
    resumed = true;
  }

  private void check(String service, long snapshot) {
    Pending unrecorded = pending.get(service);
    if (unrecorded != null) {
      record(service, unrecorded);
    }
    long after = checkedThrough.getOrDefault(service, 0L);
    ReplayReport report = Replay.replay(lockstep, service, OptionalLong.of(snapshot), Optional.empty(),
        Optional.empty(), after, PointInTimeMode.AS_OF_INGEST);
    if (report.extent().isEmpty()) {
      return;
    }
    long through = report.extent().get().lastSequence();
    checkedThrough.put(service, through);
    record(service, new Pending(ParityCheck.of(report, ParityChecks.BY_SERVE, clock.instant()),
        "parity:" + ParityChecks.BY_SERVE + ":" + service + ":" + after + ":" + through));
  }

  private void record(String service, Pending check) {
    pending.put(service, check);
    ParityChecks.record(store, check.check(), check.commitKey());
    pending.remove(service);
    synchronized (tallies) {
      tallies.get(service).add(check.check());
    }
  }

  private void failed(String what, RuntimeException e) {
    failures.incrementAndGet();
    String message = what + ": " + e.getMessage();
    lastFailure = message;
    if (!message.equals(lastReported)) {
      System.err.println("lockstep: " + message + " (retried in " + interval + ")");
      lastReported = message;
    }
  }
}
