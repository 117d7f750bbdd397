package dev.lockstep.bench.online;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures {@link OnlineBenchmarks} collects from its children's {@link Results} lines, and
 * their medians as one markdown table per benchmark, with ratios of each row to its peer row
 * (ratios of the medians).
 */
final class Figures {
  /** A column; its value is shown as a lower bound ("≥") when the median of {@code lowerBoundIf} is above 0. */
  private record Column(String metric, String label, String format, String lowerBoundIf) {
    Column(String metric, String label, String format) {
      this(metric, label, format, null);
    }
  }

  private record Ratio(String metric, String label) {}

  private record Layout(String title, List<Column> columns, List<Ratio> ratios) {}

  private static final Map<String, Layout> LAYOUTS = new LinkedHashMap<>(Map.of(
      OnlineReadBenchmark.SECTION, new Layout("In-process read: single-entity vectors of 20 features",
          List.of(new Column("p50_us", "p50", "%.1f µs"), new Column("p99_us", "p99", "%.1f µs"),
              new Column("p999_us", "p99.9", "%.1f µs"), new Column("per_second", "vectors/s", "%,.0f"),
              new Column("per_second_per_thread", "vectors/s per thread", "%,.0f")),
          List.of(new Ratio("p99_us", "p99 vs raw"), new Ratio("per_second", "vectors/s vs raw"))),
      HttpServingBenchmark.SECTION, new Layout("HTTP on loopback, open loop at fixed rates",
          List.of(new Column("achieved_per_second", "achieved req/s", "%,.0f"), new Column("p50_ms", "p50", "%.3f ms"),
              new Column("p99_ms", "p99", "%.3f ms"), new Column("p999_ms", "p99.9", "%.3f ms"),
              new Column("errors", "errors", "%.0f"), new Column("unsent", "unsent", "%.0f")),
          List.of(new Ratio("p99_ms", "p99 vs redis"))),
      StreamingBenchmark.SECTION, new Layout("Streaming ingestion with durable acknowledgement",
          List.of(new Column("events_per_second", "acknowledged events/s", "%,.0f"),
              new Column("applied_per_second", "applied events/s", "%,.0f"),
              new Column("backlog_at_stop", "backlog at stop", "%,.0f"),
              new Column("ack_p50_ms", "ack p50", "%.1f ms"), new Column("ack_p99_ms", "ack p99", "%.1f ms"),
              new Column("servable_p50_ms", "event→servable p50", "%,.1f ms", "probes_not_servable"),
              new Column("servable_p99_ms", "event→servable p99", "%,.1f ms", "probes_not_servable"),
              new Column("probes_not_servable", "probes not servable", "%.0f"),
              new Column("applied_after_s", "caught up after", "%.2f s")),
          List.of(new Ratio("events_per_second", "events/s vs raw log")))));

  static {
    LAYOUTS.put(DistributedBenchmark.READ, new Layout("Redis online store: single-entity vectors of 20 features",
        List.of(new Column("p50_us", "p50", "%.1f µs"), new Column("p99_us", "p99", "%.1f µs"),
            new Column("p999_us", "p99.9", "%.1f µs"), new Column("per_second", "vectors/s", "%,.0f")),
        List.of(new Ratio("p50_us", "p50 vs raw"), new Ratio("p99_us", "p99 vs raw"),
            new Ratio("per_second", "vectors/s vs raw"))));
    LAYOUTS.put(DistributedBenchmark.INGEST, new Layout("Kafka feed ingest into Redis (pre-produced backlog)",
        List.of(new Column("events_per_second", "events/s", "%,.0f"),
            new Column("accepted_per_second", "events/s into the Kafka event log", "%,.0f"),
            new Column("seconds", "all applied after", "%.1f s")),
        List.of()));
    LAYOUTS.put(DistributedBenchmark.SERVABLE, new Layout("Kafka event → servable, open-loop producer",
        List.of(new Column("achieved_per_second", "produced events/s", "%,.0f"),
            new Column("applied_per_second", "applied events/s", "%,.0f"),
            new Column("servable_p50_ms", "event→servable p50", "%,.1f ms", "probes_not_servable"),
            new Column("servable_p99_ms", "p99", "%,.1f ms", "probes_not_servable"),
            new Column("servable_max_ms", "max", "%,.1f ms", "probes_not_servable"),
            new Column("apply_lag_p50_ms", "apply lag p50", "%,.0f ms"),
            new Column("probes", "probes", "%.0f"),
            new Column("probes_not_servable", "probes not servable", "%.0f"),
            new Column("applied_after_s", "caught up after", "%.2f s")),
        List.of(new Ratio("servable_p99_ms", "p99 vs raw kafka"))));
  }

  /** section → row → metric → one value per run. */
  private final Map<String, Map<String, Map<String, List<Double>>>> values = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> peers = new LinkedHashMap<>();

  /** The lines of one child, kept only if it succeeds. */
  final class Run {
    private final List<String[]> results = new ArrayList<>();
    private final List<String[]> peerLines = new ArrayList<>();

    /** Takes a result or peer line; returns false for any other line. */
    boolean accept(String line) {
      String[] parts = line.split("\t");
      if (parts.length == 5 && parts[0].equals(Results.RESULT)) {
        results.add(parts);
        return true;
      }
      if (parts.length == 4 && parts[0].equals(Results.PEER)) {
        peerLines.add(parts);
        return true;
      }
      return false;
    }

    void commit() {
      for (String[] parts : results) {
        values.computeIfAbsent(parts[1], section -> new LinkedHashMap<>())
            .computeIfAbsent(parts[2], row -> new LinkedHashMap<>())
            .computeIfAbsent(parts[3], metric -> new ArrayList<>())
            .add(Double.parseDouble(parts[4]));
      }
      for (String[] parts : peerLines) {
        peers.computeIfAbsent(parts[1], section -> new LinkedHashMap<>()).put(parts[2], parts[3]);
      }
    }
  }

  Run newRun() {
    return new Run();
  }

  /**
   * The tables of {@code benchmark}: its section's, or those of its sections named {@code
   * <benchmark>/<part>}, in order.
   */
  String tables(String benchmark) {
    if (LAYOUTS.containsKey(benchmark)) {
      return table(benchmark);
    }
    StringBuilder text = new StringBuilder();
    for (String section : LAYOUTS.keySet()) {
      if (section.startsWith(benchmark + "/")) {
        text.append(table(section));
      }
    }
    return text.toString();
  }

  /** The markdown table of {@code section}, and its rows that fit no column as notes. */
  String table(String section) {
    Layout layout = LAYOUTS.get(section);
    Map<String, Map<String, List<Double>>> rows = values.getOrDefault(section, Map.of());
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n## %s%n%n| case | runs |", layout.title()));
    StringBuilder rule = new StringBuilder("|---|---|");
    for (Column column : layout.columns()) {
      text.append(' ').append(column.label()).append(" |");
      rule.append("---|");
    }
    for (Ratio ratio : layout.ratios()) {
      text.append(' ').append(ratio.label()).append(" |");
      rule.append("---|");
    }
    text.append('\n').append(rule).append('\n');
    StringBuilder notes = new StringBuilder();
    for (Map.Entry<String, Map<String, List<Double>>> row : rows.entrySet()) {
      Map<String, List<Double>> metrics = row.getValue();
      if (layout.columns().stream().noneMatch(column -> metrics.containsKey(column.metric()))) {
        metrics.forEach((metric, runs) -> notes.append(String.format(Locale.ROOT, "- %s %s: %.6g (median of %d)%n",
            row.getKey(), metric, median(runs), runs.size())));
        continue;
      }
      int runs = metrics.values().stream().mapToInt(List::size).max().orElse(0);
      text.append("| ").append(row.getKey()).append(" | ").append(runs).append(" |");
      for (Column column : layout.columns()) {
        List<Double> runValues = metrics.get(column.metric());
        List<Double> bound = column.lowerBoundIf() == null ? null : metrics.get(column.lowerBoundIf());
        String prefix = bound != null && median(bound) > 0 ? "≥ " : "";
        text.append(' ').append(runValues == null ? "—"
            : prefix + String.format(Locale.ROOT, column.format(), median(runValues))).append(" |");
      }
      String peer = peers.getOrDefault(section, Map.of()).get(row.getKey());
      Map<String, List<Double>> peerMetrics = peer == null ? null : rows.get(peer);
      for (Ratio ratio : layout.ratios()) {
        List<Double> mine = metrics.get(ratio.metric());
        List<Double> theirs = peerMetrics == null ? null : peerMetrics.get(ratio.metric());
        text.append(' ').append(mine == null || theirs == null ? "—"
            : String.format(Locale.ROOT, "%.2f×", median(mine) / median(theirs))).append(" |");
      }
      text.append('\n');
    }
    if (!notes.isEmpty()) {
      text.append('\n').append(notes);
    }
    return text.toString();
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
  }
}
