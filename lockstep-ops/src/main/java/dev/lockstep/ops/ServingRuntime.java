package dev.lockstep.ops;

import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.ops.drift.DriftMonitor;
import dev.lockstep.ops.parity.FeatureLogger;
import dev.lockstep.ops.parity.ParityMonitor;
import dev.lockstep.ops.quarantine.QuarantineReplay;
import dev.lockstep.ops.quarantine.QuarantineRows;
import dev.lockstep.ops.status.StatusReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's online half, running: streaming on, feature logging and parity checks for the
 * services asked for, drift monitoring of every served vector, orphan files cleaned in the
 * background; and the operations a server exposes over it (status, breakers, quarantine, lineage,
 * metrics). {@code lockstep serve} and {@code lockstep quickstart} start one and put a {@code
 * LockstepServer} in front of it ({@code LockstepServer.builder().project(runtime)}); a Java
 * application embeds it the same way.
 *
 * <p>Thread-safe: its operations may be called from any thread; {@link #close()} once.
 */
public final class ServingRuntime implements AutoCloseable {
  /** Orphan data files younger than this may belong to an append in progress and are kept. */
  public static final Duration ORPHAN_AGE = Duration.ofHours(1);

  private final Lockstep lockstep;
  private final OnlineRuntime online;
  private final FeatureLogger featureLogger;
  private final ParityMonitor parity;
  private final DriftMonitor drift;
  private boolean closed;

  private ServingRuntime(Lockstep lockstep, OnlineRuntime online, FeatureLogger featureLogger, ParityMonitor parity,
      DriftMonitor drift) {
    this.lockstep = lockstep;
    this.online = online;
    this.featureLogger = featureLogger;
    this.parity = parity;
    this.drift = drift;
  }

  /** As {@link #start(Lockstep, List, Duration)} with the project's configured parity interval. */
  public static ServingRuntime start(Lockstep lockstep, List<String> loggedServices) {
    return start(lockstep, loggedServices, lockstep.config().monitoring().parityInterval());
  }

  /**
   * Starts streaming and monitoring on {@code lockstep}'s online runtime.
   *
   * @param loggedServices the feature services whose served vectors are logged and checked
   * @param parityInterval how often the logged vectors are rebuilt offline and compared
   *     (docs/parity.md)
   * @throws dev.lockstep.api.LockstepException if a logged service is not in the applied registry
   */
  public static ServingRuntime start(Lockstep lockstep, List<String> loggedServices, Duration parityInterval) {
    OnlineRuntime online = lockstep.online();
    online.startStreaming();
    cleanOrphanFilesInTheBackground(lockstep);
    lockstep.followStreams();
    FeatureLogger logger = loggedServices.isEmpty() ? null
        : FeatureLogger.start(lockstep, online, new LinkedHashSet<>(loggedServices));
    ParityMonitor parity = logger == null ? null
        : ParityMonitor.start(lockstep, online, logger, logger.services(), parityInterval);
    DriftMonitor drift = Monitoring.drift(lockstep);
    online.onServed(drift);
    return new ServingRuntime(lockstep, online, logger, parity, drift);
  }

  /**
   * Deletes the data files a killed append left in the offline tables, older than {@link
   * #ORPHAN_AGE}, off the start-up path.
   */
  private static void cleanOrphanFilesInTheBackground(Lockstep lockstep) {
    Thread cleaner = new Thread(() -> {
      try {
        Map<String, List<String>> found = lockstep.cleanOrphanFiles(ORPHAN_AGE, false);
        long files = found.values().stream().mapToLong(List::size).sum();
        if (files > 0) {
          System.err.println("lockstep: deleted " + files + " orphan data files of " + found.keySet()
              + " (left by an interrupted append)");
        }
      } catch (RuntimeException e) {
        System.err.println("lockstep: cannot clean the orphan data files: " + e.getMessage());
      }
    }, "lockstep-clean-orphans");
    cleaner.setDaemon(true);
    cleaner.start();
  }

  public Lockstep lockstep() {
    return lockstep;
  }

  public OnlineRuntime online() {
    return online;
  }

  public DriftMonitor drift() {
    return drift;
  }

  /** The parity monitor, when services are logged. */
  public Optional<ParityMonitor> parity() {
    return Optional.ofNullable(parity);
  }

  /** Liveness: cheap, answerable under load (readiness and status have the details). */
  public Map<String, Object> health() {
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("up", online.healthy());
    health.put("registry_version", online.registryVersion());
    return health;
  }

  /** Readiness: apply lag, degraded stages, shedding. */
  public Map<String, Object> readiness() {
    return online.readiness(System.currentTimeMillis());
  }

  /** What {@code GET /v1/status} answers. */
  public Map<String, Object> status() {
    return StatusReport.of(lockstep, Optional.of(online), Optional.ofNullable(parity), drift.status(), Instant.now());
  }

  /** Every source's circuit breaker. */
  public Map<String, Object> breakers() {
    return Monitoring.breakers(lockstep);
  }

  /** Closes the breaker of {@code source}, recorded as done by {@code actor}. */
  public Map<String, Object> resetBreaker(String source, String actor) {
    return Monitoring.reset(lockstep, source, actor);
  }

  /** The quarantined rows of {@code source} matching the query ({@code docs/quality.md}). */
  public Map<String, Object> quarantine(String source, Map<String, String> query) {
    return QuarantineRows.list(lockstep, source, Monitoring.quarantineFilter(query)).toMap();
  }

  /** Replays the quarantined rows of {@code source} matching the query. */
  public Map<String, Object> replayQuarantine(String source, Map<String, String> query) {
    return QuarantineReplay.replay(lockstep, source, Monitoring.quarantineFilter(query)).toMap();
  }

  /** The lineage of the definition named {@code name}, {@code direction} up, down or both. */
  public Map<String, Object> lineage(String name, String direction) {
    return Monitoring.lineage(lockstep, name, direction);
  }

  /** Registers the project's gauges (streams, quality, parity, drift) in {@code registry}. */
  public void bindMetrics(MeterRegistry registry) {
    Monitoring.bind(registry, lockstep, online, parity, drift);
  }

  /** Stops monitoring and flushes the feature log; the online runtime stays with the project. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    drift.close();
    if (parity != null) {
      parity.close();
    }
    if (featureLogger != null) {
      try {
        featureLogger.close();
      } catch (RuntimeException e) {
        System.err.println("lockstep: cannot flush the feature log: " + e.getMessage());
      }
    }
  }
}
