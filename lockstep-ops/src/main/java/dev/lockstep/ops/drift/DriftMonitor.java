package dev.lockstep.ops.drift;

import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.ops.drift.Drift;
import dev.lockstep.ops.drift.DriftReport;
import dev.lockstep.core.drift.DriftThresholds;
import dev.lockstep.core.drift.ServedProfiles;
import dev.lockstep.core.drift.ServiceProfile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Drift monitoring of served features: every vector served for a feature service is profiled on a
 * rolling window ({@link ServedProfiles}) and compared, feature by feature, with the profile of
 * the service's training set (PSI and Kolmogorov–Smirnov, {@link Drift#compare}).
 *
 * <p>Serving threads only enqueue vectors (a bounded queue of {@value #CAPACITY}; when it is full
 * the vectors are dropped and counted, never waited for); one thread profiles them. Which training
 * set a service is compared with is the caller's choice ({@code trainingProfile}); {@code lockstep
 * serve} uses the newest training set built for the service.
 *
 * <p>Thread-safe.
 */
public final class DriftMonitor implements BiConsumer<String, List<FeatureVector>>, AutoCloseable {
  /** Vectors waiting to be profiled at most. */
  static final int CAPACITY = 100_000;

  private record Served(String service, List<FeatureVector> vectors, long at) {}

  private final ServedProfiles profiles;
  private final DriftThresholds thresholds;
  private final Function<String, Optional<ServiceProfile>> trainingProfile;
  private final Clock clock;
  private final ArrayBlockingQueue<Served> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong profiled = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param trainingProfile the training profile a service is compared with, if it has one; asked
   *     on every report, so it may change (cache it if reading it is costly)
   */
  public DriftMonitor(ServedProfiles profiles, DriftThresholds thresholds,
      Function<String, Optional<ServiceProfile>> trainingProfile, Clock clock) {
    this.profiles = profiles;
    this.thresholds = thresholds;
    this.trainingProfile = trainingProfile;
    this.clock = clock;
    this.thread = new Thread(this::run, "lockstep-drift");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  /** Enqueues vectors served for {@code service}; never blocks. */
  @Override
  public void accept(String service, List<FeatureVector> vectors) {
    if (!queue.offer(new Served(service, vectors, clock.millis()))) {
      dropped.addAndGet(vectors.size());
    }
  }

  private void run() {
    while (running) {
      try {
        Served served = queue.poll(100, TimeUnit.MILLISECONDS);
        if (served != null) {
          profiles.record(served.service(), served.vectors(), served.at());
          profiled.addAndGet(served.vectors().size());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        System.err.println("lockstep: cannot profile served vectors (" + e.getMessage() + ")");
      }
    }
  }

  /** Waits until every vector enqueued so far is profiled (for tests and status right after serving). */
  public void awaitProfiled(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!queue.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(20);
  }

  /** Per service served in the window and having a training profile, its drift report now. */
  public Map<String, DriftReport> reports() {
    long now = clock.millis();
    Map<String, DriftReport> reports = new TreeMap<>();
    for (String service : profiles.services()) {
      Optional<ServiceProfile> training = trainingProfile.apply(service);
      training.ifPresent(profile -> reports.put(service, Drift.compare(profile, profiles.snapshot(service, now),
          thresholds)));
    }
    return reports;
  }

  /**
   * The drift section of the status: per service, its report as a map, or its state {@code
   * NO_TRAINING_SET}; plus the vectors profiled and dropped.
   */
  public Map<String, Object> status() {
    Map<String, Object> status = new TreeMap<>();
    Map<String, DriftReport> reports = reports();
    for (String service : profiles.services()) {
      DriftReport report = reports.get(service);
      if (report != null) {
        status.put(service, report.toMap());
      } else {
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("service", service);
        none.put("state", "NO_TRAINING_SET");
        none.put("features", List.of());
        status.put(service, none);
      }
    }
    return status;
  }

  /** Vectors profiled so far. */
  public long profiled() {
    return profiled.get();
  }

  /** Vectors dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  public DriftThresholds thresholds() {
    return thresholds;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  /** The features of {@code drift} (a status drift section) in state ALERT, as {@code service -> features}. */
  public static Map<String, List<Map<?, ?>>> alerts(Map<String, Object> drift) {
    Map<String, List<Map<?, ?>>> alerts = new TreeMap<>();
    drift.forEach((service, report) -> {
      if (report instanceof Map<?, ?> map && map.get("features") instanceof List<?> features) {
        for (Object feature : features) {
          if (feature instanceof Map<?, ?> metrics && "ALERT".equals(metrics.get("state"))) {
            alerts.computeIfAbsent(service, ignored -> new ArrayList<>()).add(metrics);
          }
        }
      }
    });
    return alerts;
  }
}
