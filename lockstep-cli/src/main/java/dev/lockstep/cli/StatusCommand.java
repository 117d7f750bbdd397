package dev.lockstep.cli;

import dev.lockstep.api.LockstepException;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.status.StatusReport;
import dev.lockstep.core.online.OnlineRuntime;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep status}: breakers, quarantine, freshness, parity and drift of the project, from a
 * running server ({@code --server}) or read from the project's stores (docs/monitoring.md).
 */
@Command(
    name = "status",
    description = {
      "Show the project's health: circuit breakers, quarantined rows, freshness lag per feature view,",
      "the parity mismatch rate and feature drift, and the alerts among them. Without --server it reads",
      "the project's stores (the online store must not be held by a running server; drift needs --server)."
    })
final class StatusCommand implements Callable<Integer> {
  @ParentCommand LockstepCommand root;

  @Option(names = "--server", paramLabel = "URL", description = "Ask a running lockstep serve, e.g. http://127.0.0.1:6566.")
  URI server;

  @Option(names = "--json", description = "Print the status as JSON (what GET /v1/status answers).")
  boolean json;

  @Option(names = "--check", description = "Exit 2 when there is an alert (for scripts and cron).")
  boolean check;

  @Override
  public Integer call() {
    Map<String, Object> status;
    String note = null;
    if (server != null) {
      status = ServerCall.call(server, "GET", "/v1/status");
    } else {
      try (Lockstep lockstep = root.project.open()) {
        Optional<OnlineRuntime> online;
        try {
          online = Optional.of(lockstep.online());
        } catch (LockstepException e) {
          online = Optional.empty();
          note = "Feature views: the online store is not readable here (" + e.getMessage()
              + "); ask the server: lockstep status --server http://127.0.0.1:6566";
        }
        status = StatusReport.of(lockstep, online, Optional.empty(), Map.of(), Instant.now());
      }
    }
    if (json) {
      System.out.println(ServerCall.json(status));
    } else {
      System.out.print(render(status, note, server == null));
    }
    return check && !((List<?>) status.get("alerts")).isEmpty() ? 2 : 0;
  }

  static String render(Map<String, Object> status, String note, boolean local) {
    StringBuilder out = new StringBuilder();
    out.append("Registry version ").append(status.get("registry_version")).append(", status at ")
        .append(status.get("at")).append('\n');
    List<?> alerts = (List<?>) status.get("alerts");
    out.append("Alerts: ").append(alerts.isEmpty() ? "none" : alerts.size()).append('\n');
    alerts.forEach(alert -> out.append("  ! ").append(alert).append('\n'));
    out.append("Sources:\n");
    ((Map<?, ?>) status.get("sources")).forEach((name, value) -> {
      Map<?, ?> source = (Map<?, ?>) value;
      out.append("  ").append(name).append(": ").append(source.get("contract_rules")).append(" contract rules, ")
          .append(source.get("quarantined_total")).append(" rows quarantined in all");
      if (source.get("stream") instanceof Map<?, ?> stream && stream.get("judged") != null) {
        out.append(", stream: ").append(stream.get("judged")).append(" judged, ").append(stream.get("quarantined"))
            .append(" quarantined");
        if (source.get("quarantine_rate") instanceof Number rate) {
          out.append(String.format(Locale.ROOT, " (%.2f%%)", 100 * rate.doubleValue()));
        }
        out.append(", ").append(stream.get("applied")).append(" applied");
      }
      out.append('\n');
      if (source.get("last_ingest") instanceof Map<?, ?> ingest) {
        out.append("    last ingest ").append(ingest.get("position")).append(" at ").append(ingest.get("at")).append(": ")
            .append(ingest.get("rows")).append(" rows, ").append(ingest.get("quarantined")).append(" quarantined, ")
            .append(ingest.get("outcome")).append('\n');
      }
      Map<?, ?> breaker = (Map<?, ?>) source.get("breaker");
      if (!"NONE".equals(breaker.get("state"))) {
        out.append("    ").append(breakerLine("breaker", breaker).strip()).append('\n');
      }
    });
    if (status.get("views") instanceof Map<?, ?> views) {
      out.append("Feature views:\n");
      views.forEach((name, value) -> {
        Map<?, ?> view = (Map<?, ?>) value;
        Object lag = view.get("freshness_lag_ms");
        out.append("  ").append(name).append(" (").append(view.get("source")).append("): freshness lag ")
            .append(lag == null ? "unknown (no event applied yet)" : seconds(((Number) lag).longValue()))
            .append(", watermark ").append(view.get("watermark") == null ? "none" : view.get("watermark"));
        if (view.get("freshness_bound_ms") instanceof Number bound) {
          out.append(", bound ").append(seconds(bound.longValue()))
              .append(Boolean.TRUE.equals(view.get("stale")) ? " EXCEEDED" : "");
        }
        if (Boolean.TRUE.equals(view.get("paused"))) {
          out.append(", PAUSED (breaker open)");
        }
        out.append('\n');
      });
    } else if (note != null) {
      out.append(note).append('\n');
    }
    Map<?, ?> parity = (Map<?, ?>) status.get("parity");
    out.append("Parity (served vectors rebuilt offline): ").append(parity.isEmpty()
        ? "no checks (serve with --log-features SERVICE)" : "").append('\n');
    parity.forEach((service, value) -> {
      Map<?, ?> summary = (Map<?, ?>) value;
      Map<?, ?> recent = (Map<?, ?>) summary.get("recent");
      out.append("  ").append(service).append(": ").append(recent == null ? "-" : recent.get("vectors_checked"))
          .append(" vectors checked in 24h, ").append(recent == null ? "-" : recent.get("mismatched_vectors"))
          .append(" mismatched, last check ").append(summary.get("last_checked_at")).append('\n');
    });
    Map<?, ?> drift = (Map<?, ?>) status.get("drift");
    out.append("Drift (served features vs the training set): ").append(drift.isEmpty()
        ? (local ? "served profiles live in the server (lockstep status --server URL)" : "nothing served yet") : "")
        .append('\n');
    drift.forEach((service, value) -> {
      Map<?, ?> report = (Map<?, ?>) value;
      out.append("  ").append(service).append(": ").append(report.get("state")).append('\n');
      for (Object item : (List<?>) report.get("features")) {
        Map<?, ?> feature = (Map<?, ?>) item;
        out.append(String.format(Locale.ROOT, "    %-32s psi %-8s ks %-8s %-15s (served %s, training %s)%n",
            feature.get("feature"), number(feature.get("psi")), number(feature.get("ks")), feature.get("state"),
            feature.get("served_count"), feature.get("training_count")));
      }
    });
    return out.toString();
  }

  /** One line for a breaker: state, since, why, and its window. */
  static String breakerLine(Object source, Map<?, ?> breaker) {
    StringBuilder line = new StringBuilder(String.valueOf(source)).append(": ").append(breaker.get("state"));
    if ("OPEN".equals(breaker.get("state"))) {
      line.append(" since ").append(breaker.get("since")).append(" (").append(breaker.get("reason")).append(')');
    }
    if (breaker.get("window_failure_rate") instanceof Number rate) {
      line.append(String.format(Locale.ROOT, ", window %s of %s rows failed (%.1f%%, trips at %.1f%%)",
          breaker.get("window_failed"), breaker.get("window_rows"), 100 * rate.doubleValue(),
          100 * ((Number) breaker.get("max_failure_rate")).doubleValue()));
    }
    return line.toString();
  }

  private static String number(Object value) {
    return value instanceof Number number ? String.format(Locale.ROOT, "%.4f", number.doubleValue()) : "-";
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
