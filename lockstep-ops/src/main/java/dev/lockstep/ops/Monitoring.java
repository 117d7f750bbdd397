package dev.lockstep.ops;

import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.Source;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.drift.DriftReport;
import dev.lockstep.core.config.MonitoringConfig;
import dev.lockstep.core.lineage.Direction;
import dev.lockstep.core.lineage.LineageGraph;
import dev.lockstep.core.lineage.TrainingSetRecord;
import dev.lockstep.core.lineage.TrainingSets;
import dev.lockstep.ops.drift.FeatureDrift;
import dev.lockstep.core.drift.ServedProfiles;
import dev.lockstep.core.drift.ServiceProfile;
import dev.lockstep.ops.drift.DriftMonitor;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.ops.parity.ParityMonitor;
import dev.lockstep.ops.parity.ParitySummary;
import dev.lockstep.core.quality.Breakers;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.ops.quarantine.QuarantineFilter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The monitoring a server runs besides serving: drift of served features against their training
 * sets, circuit breakers, and the Prometheus gauges of freshness, quarantine, breakers, parity and
 * drift (see docs/monitoring.md).
 */
public final class Monitoring {
  /** How long the newest training set of a service is trusted before it is looked up again. */
  private static final long TRAINING_SET_LOOKUP_MILLIS = 30_000;
  /** How long drift reports computed for a scrape are reused. */
  private static final long DRIFT_CACHE_MILLIS = 5_000;

  private Monitoring() {}

  /**
   * A drift monitor, with {@code lockstep.yaml}'s window and thresholds, comparing each service with
   * the newest training set built for it that has a profile (training sets are recorded in the
   * lineage table {@code lockstep__training_sets}; looked up at most every 30 s).
   */
  public static DriftMonitor drift(Lockstep lockstep) {
    MonitoringConfig config = lockstep.config().monitoring();
    Map<Path, ServiceProfile> profiles = new ConcurrentHashMap<>();
    Map<String, Optional<Path>> newest = new ConcurrentHashMap<>();
    Map<String, Long> lookedUp = new ConcurrentHashMap<>();
    return new DriftMonitor(new ServedProfiles(config.driftWindow(), ServedProfiles.BUCKETS_DEFAULT,
        ServedProfiles.TRACKED_CATEGORIES_DEFAULT), config.thresholds(), service -> {
          long now = System.currentTimeMillis();
          Long last = lookedUp.get(service);
          if (last == null || now - last > TRAINING_SET_LOOKUP_MILLIS) {
            newest.put(service, trainingSetOf(lockstep, service));
            lookedUp.put(service, now);
          }
          return newest.get(service).map(dir -> profiles.computeIfAbsent(dir, ServiceProfile::read));
        }, Clock.systemUTC());
  }

  /** The directory of the newest training set built for {@code service} that holds a profile, if any. */
  public static Optional<Path> trainingSetOf(Lockstep lockstep, String service) {
    return TrainingSets.newest(lockstep.offlineStore(), service).map(TrainingSetRecord::path)
        .filter(dir -> java.nio.file.Files.exists(dir.resolve("profile.json")));
  }

  /** What {@code GET /v1/lineage/{name}} answers; {@code direction} is upstream, downstream or both (default). */
  public static Map<String, Object> lineage(Lockstep lockstep, String name, String direction) {
    Direction chosen;
    switch (direction == null ? "both" : direction) {
      case "upstream" -> chosen = Direction.UPSTREAM;
      case "downstream" -> chosen = Direction.DOWNSTREAM;
      case "both" -> chosen = Direction.BOTH;
      default -> throw new dev.lockstep.api.client.InvalidRequestException("Cannot read the lineage of '" + name
          + "': direction '" + direction + "' is unknown (use upstream, downstream or both)");
    }
    return lockstep.lineage().query(name, chosen).toMap();
  }

  /**
   * The quarantine rows an HTTP request selects: {@code rule} (an id or a kind), {@code ids}
   * (comma-separated), {@code all=true} to include replayed rows, {@code limit}.
   */
  public static QuarantineFilter quarantineFilter(Map<String, String> query) {
    QuarantineFilter filter = QuarantineFilter.pending().withRule(query.get("rule"))
        .withReplayed(Boolean.parseBoolean(query.getOrDefault("all", "false")));
    try {
      if (query.containsKey("ids")) {
        filter = filter.withIds(java.util.Arrays.stream(query.get("ids").split(",")).map(String::strip)
            .map(Long::parseLong).toList());
      }
      if (query.containsKey("limit")) {
        filter = filter.withLimit(Integer.parseInt(query.get("limit")));
      }
    } catch (IllegalArgumentException e) {
      throw new dev.lockstep.api.client.InvalidRequestException("Cannot read the quarantine filter " + query
          + ": ids must be whole numbers separated by commas and limit a positive whole number");
    }
    return filter;
  }

  /** What {@code GET /v1/breakers} answers: every source's breaker. */
  public static Map<String, Object> breakers(Lockstep lockstep) {
    Breakers breakers = lockstep.breakers();
    breakers.refresh();
    return new LinkedHashMap<>(breakers.status());
  }

  /** Resets {@code source}'s breaker; answers its state before and now. */
  public static Map<String, Object> reset(Lockstep lockstep, String source, String actor) {
    if (lockstep.applied().repository().source(source).isEmpty()) {
      throw new dev.lockstep.api.client.UnknownNameException("Cannot reset the circuit breaker of source '" + source
          + "': there is no source '" + source + "' in the registry (sources: "
          + lockstep.applied().repository().sources().stream().map(Source::name).toList() + ")");
    }
    Breakers.State before = lockstep.breakers().reset(source, actor);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("source", source);
    answer.put("was", before.toMap());
    answer.put("now", lockstep.breakers().state(source).toMap());
    return answer;
  }

  /** Binds the project's gauges to the server's registry. */
  static void bind(MeterRegistry registry, Lockstep lockstep, OnlineRuntime online, ParityMonitor parity,
      DriftMonitor drift) {
    Gauge.builder("lockstep.vectors.served", online.metrics(), metrics -> metrics.vectorsServed())
        .description("Feature vectors served").register(registry);
    Breakers breakers = lockstep.breakers();
    for (Source source : online.repository().sources()) {
      String name = source.name();
      for (String counter : List.of("accepted", "rejected", "applied", "late_dropped", "undecodable",
          "offline_appended", "apply_lag_ms", "judged", "quarantined")) {
        Gauge.builder("lockstep.source." + counter, online.metrics(),
                metrics -> metrics.sources().getOrDefault(name, Map.of()).getOrDefault(counter, 0L))
            .tag("source", name)
            .register(registry);
      }
      Gauge.builder("lockstep.breaker.open", breakers, b -> b.isOpen(name) ? 1 : 0)
          .description("1 while the source's circuit breaker is open").tag("source", name).register(registry);
      Gauge.builder("lockstep.breaker.window.failure_rate", breakers,
              b -> Optional.ofNullable(b.window(name).failureRate()).orElse(Double.NaN))
          .description("Failed fraction of the rows judged in the breaker's interval").tag("source", name)
          .register(registry);
      lockstep.applied().repository().contract(name).ifPresent(contract -> contract.rules().stream()
          .filter(rule -> !rule.batchOnly())
          .forEach(rule -> Gauge.builder("lockstep.quality.metric", online,
                  runtime -> Optional.ofNullable(runtime.quality(name).value(rule.id())).orElse(Double.NaN))
              .description("Completeness (not_null) or compliance of the stream's rows with the rule, since start")
              .tag("source", name).tag("rule", rule.id())
              .register(registry)));
      Gauge.builder("lockstep.quarantine.rows", lockstep, project -> Quarantine.total(project.offlineStore(), name))
          .description("Rows ever quarantined for the source").tag("source", name).register(registry);
    }
    online.repository().featureViews().forEach(view ->
        Gauge.builder("lockstep.view.freshness.lag.seconds", online, runtime -> {
              long newest = runtime.newestApplied(view.name());
              return newest == Long.MIN_VALUE ? Double.NaN : (System.currentTimeMillis() - newest) / 1000.0;
            })
            .description("Now minus the newest event applied to the view").tag("view", view.name())
            .register(registry));
    if (parity != null) {
      Gauge.builder("lockstep.parity.check.failures", parity, ParityMonitor::failures).register(registry);
      for (String service : parity.summaries().keySet()) {
        parityGauge(registry, parity, service, "lockstep.parity.vectors.checked", s -> s.allTime().vectors());
        parityGauge(registry, parity, service, "lockstep.parity.mismatched.vectors",
            s -> s.allTime().mismatchedVectors());
        parityGauge(registry, parity, service, "lockstep.parity.mismatch.rate",
            s -> s.recent().mismatchRate().orElse(Double.NaN));
      }
    }
    DriftCache reports = new DriftCache(drift);
    Gauge.builder("lockstep.drift.vectors.dropped", drift, DriftMonitor::dropped).register(registry);
    for (FeatureService service : online.repository().featureServices()) {
      for (FeatureReference feature : service.features()) {
        String column = feature.columnName();
        driftGauge(registry, reports, service.name(), column, "lockstep.drift.psi", FeatureDrift::psi);
        driftGauge(registry, reports, service.name(), column, "lockstep.drift.ks", FeatureDrift::ks);
        driftGauge(registry, reports, service.name(), column, "lockstep.drift.state",
            f -> (double) f.state().level());
      }
    }
  }

  private static void parityGauge(MeterRegistry registry, ParityMonitor parity, String service, String name,
      ToDoubleFunction<ParitySummary> value) {
    Gauge.builder(name, parity, p -> {
          ParitySummary summary = p.summaries().get(service);
          return summary == null ? Double.NaN : value.applyAsDouble(summary);
        })
        .tag("service", service)
        .register(registry);
  }

  private static void driftGauge(MeterRegistry registry, DriftCache reports, String service, String feature,
      String name, java.util.function.Function<FeatureDrift, Double> value) {
    Gauge.builder(name, reports, cache -> {
          DriftReport report = cache.get().get(service);
          Double number = report == null ? null : report.feature(feature).map(value).orElse(null);
          return number == null ? Double.NaN : number;
        })
        .tag("service", service)
        .tag("feature", feature)
        .strongReference(true) // the cache lives only in these gauges; Micrometer holds state weakly
        .register(registry);
  }

  /** The drift reports, computed at most every {@value #DRIFT_CACHE_MILLIS} ms for all gauges of a scrape. */
  private static final class DriftCache {
    private final DriftMonitor drift;
    private Map<String, DriftReport> reports = Map.of();
    private boolean computed;
    private long computedAt;

    DriftCache(DriftMonitor drift) {
      this.drift = drift;
    }

    synchronized Map<String, DriftReport> get() {
      long now = System.currentTimeMillis();
      if (!computed || now - computedAt > DRIFT_CACHE_MILLIS) {
        reports = drift.reports();
        computedAt = now;
        computed = true;
      }
      return reports;
    }
  }
}
