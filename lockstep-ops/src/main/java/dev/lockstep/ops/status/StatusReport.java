package dev.lockstep.ops.status;

import dev.lockstep.ops.drift.DriftMonitor;

import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.Source;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.ops.parity.ParityChecks;
import dev.lockstep.ops.parity.ParityMonitor;
import dev.lockstep.ops.parity.ParitySummary;
import dev.lockstep.core.quality.Breakers;
import dev.lockstep.core.quality.QualityRuns;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.registry.RegistryDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code lockstep status} and {@code GET /v1/status} show, as JSON-friendly maps: per source
 * its breaker, quarantine and stream counters; per feature view its freshness lag; per service the
 * parity mismatch rate and feature drift; and the alerts among them.
 *
 * <p>Alerts: an open breaker, a stale view (its declared freshness exceeded), a parity mismatch in
 * the last 24 hours, and a drifted feature in state {@code ALERT}.
 */
public final class StatusReport {
  private StatusReport() {}

  /**
   * @param online the online runtime of this process, if it is open (a server's; or empty when
   *     another process holds the online store)
   * @param parity the server's parity monitor, if it runs; otherwise the recorded checks are read
   * @param drift per service, the drift report of its features ({@link DriftMonitor#status()}); empty if none
   */
  public static Map<String, Object> of(Lockstep lockstep, Optional<OnlineRuntime> online,
      Optional<ParityMonitor> parity, Map<String, Object> drift, Instant now) {
    Map<String, Object> status = new LinkedHashMap<>();
    RegistryDocument document = lockstep.applied();
    FeatureRepository repository = document.repository();
    status.put("registry_version", document.version());
    status.put("at", now.toString());
    List<String> alerts = new ArrayList<>();

    Breakers breakers = lockstep.breakers();
    breakers.refresh();
    Map<String, Map<String, Object>> breakerStatus = breakers.status();
    Map<String, Object> streams = online.map(OnlineRuntime::status).orElse(Map.of());
    Map<String, Object> sources = new TreeMap<>();
    for (Source source : repository.sources()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      Optional<DataContract> contract = repository.contract(source.name());
      entry.put("contract_rules", contract.map(c -> c.rules().size()).orElse(0));
      Map<String, Object> breaker = breakerStatus.get(source.name());
      entry.put("breaker", breaker == null ? Map.of("state", "NONE") : breaker);
      if (breaker != null && "OPEN".equals(breaker.get("state"))) {
        alerts.add("circuit breaker of source " + source.name() + " is OPEN since " + breaker.get("since") + ": "
            + breaker.get("reason"));
      }
      entry.put("quarantined_total", Quarantine.total(lockstep.offlineStore(), source.name()));
      entry.put("last_ingest", QualityRuns.latest(lockstep.offlineStore(), source.name()).map(QualityRuns.Run::toMap)
          .orElse(null));
      Object stream = streams.get(source.name());
      if (stream instanceof Map<?, ?> counters) {
        entry.put("stream", counters);
        Object judged = counters.get("judged");
        Object quarantined = counters.get("quarantined");
        if (judged instanceof Long j && quarantined instanceof Long q) {
          entry.put("quarantine_rate", j == 0 ? null : (double) q / j);
        }
      }
      sources.put(source.name(), entry);
    }
    status.put("sources", sources);

    if (online.isPresent()) {
      Map<String, Map<String, Object>> views = online.get().freshness(now.toEpochMilli());
      views.forEach((view, fresh) -> {
        if (Boolean.TRUE.equals(fresh.get("stale"))) {
          alerts.add("feature view " + view + " is STALE: its freshness bound of " + fresh.get("freshness_bound_ms")
              + " ms is exceeded");
        }
      });
      status.put("views", views);
    } else {
      status.put("views", null);
    }

    Map<String, Object> parityStatus = new TreeMap<>();
    Map<String, ParitySummary> summaries = parity.map(ParityMonitor::summaries)
        .orElseGet(() -> ParityChecks.summarize(lockstep.offlineStore(), now, ParityMonitor.WINDOW));
    summaries.forEach((service, summary) -> {
      parityStatus.put(service, summary.toMap());
      if (summary.recent().mismatchedVectors() > 0) {
        alerts.add("parity: " + summary.recent().mismatchedVectors() + " of " + summary.recent().vectors()
            + " vectors of service " + service + " served in the last 24h differ from their offline rebuild");
      }
    });
    status.put("parity", parityStatus);
    status.put("drift", drift);
    DriftMonitor.alerts(drift).forEach((service, features) -> features.forEach(metrics ->
        alerts.add("drift: feature " + metrics.get("feature") + " of service " + service + " is in ALERT (psi "
            + metrics.get("psi") + ", ks " + metrics.get("ks") + ")")));
    status.put("alerts", alerts);
    return status;
  }
}
