package dev.lockstep.core.quality;

import dev.lockstep.api.definition.QualityRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Quality metrics of the rows a gate judged, following Deequ's definitions so numbers mean the same
 * as in Deequ dashboards:
 *
 * <ul>
 *   <li>{@code completeness} (rule {@code not_null}) — the fraction of rows whose value is not null;
 *   <li>{@code compliance} (rules {@code range}, {@code allowed_values}, {@code pattern}, {@code
 *       freshness}) — the fraction of rows satisfying the rule's predicate (a null value satisfies
 *       it: combine with {@code not_null});
 *   <li>{@code uniqueness} (rule {@code unique}, batch) — the fraction of rows whose value occurs
 *       exactly once; and {@code distinctness}, distinct values over rows;
 *   <li>{@code size} — the rows judged, against the {@code volume} bounds;
 *   <li>{@code schema_compliance} — the fraction of rows that fit the source's columns and types.
 * </ul>
 *
 * Row rules are all evaluated on every row that fits the schema (not only up to the first failing
 * one), so each rule's metric covers the same rows. Thread-safe.
 */
public final class QualityMetrics {
  private final List<QualityRule> rules;
  private final LongAdder rows = new LongAdder();
  private final LongAdder schemaFailures = new LongAdder();
  private final LongAdder[] failed;
  private final LongAdder judged = new LongAdder();
  private final Map<String, Map<String, Object>> batchMetrics = new LinkedHashMap<>();

  /** @param rules the gate's row rules, in its order */
  QualityMetrics(List<QualityRule> rules) {
    this.rules = List.copyOf(rules);
    this.failed = new LongAdder[rules.size()];
    for (int i = 0; i < failed.length; i++) {
      failed[i] = new LongAdder();
    }
  }

  /** Counts a row that does not fit the schema. */
  public void schemaFailure() {
    rows.increment();
    schemaFailures.increment();
  }

  /** Counts a row that fit the schema, and which row rules it failed (by position). */
  void judged(boolean[] failures) {
    rows.increment();
    judged.increment();
    for (int i = 0; i < failures.length; i++) {
      if (failures[i]) {
        failed[i].increment();
      }
    }
  }

  /** Sets the metric only a whole batch gives of {@code rule} (uniqueness and distinctness). */
  synchronized void batch(String rule, Map<String, Object> metric) {
    batchMetrics.put(rule, metric);
  }

  /**
   * The completeness or compliance of row rule {@code ruleId} over the rows that fit the schema;
   * null if no row did, or the rule is not a row rule of this gate.
   */
  public Double value(String ruleId) {
    long fitting = judged.sum();
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id().equals(ruleId)) {
        return fitting == 0 ? null : 1 - (double) failed[i].sum() / fitting;
      }
    }
    return null;
  }

  /** Rows judged, schema failures included. */
  public long rows() {
    return rows.sum();
  }

  /**
   * The metrics as JSON-friendly maps: {@code rows}, {@code schema_compliance}, and per rule id its
   * metric name, value and failed rows.
   */
  public synchronized Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    long all = rows.sum();
    long fitting = judged.sum();
    map.put("rows", all);
    map.put("schema_compliance", all == 0 ? null : (double) fitting / all);
    Map<String, Object> byRule = new LinkedHashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      QualityRule rule = rules.get(i);
      long failures = failed[i].sum();
      Map<String, Object> metric = new LinkedHashMap<>();
      metric.put("metric", rule instanceof QualityRule.NotNull ? "completeness" : "compliance");
      metric.put("value", value(rule.id()));
      metric.put("failed", failures);
      byRule.put(rule.id(), metric);
    }
    byRule.putAll(batchMetrics);
    map.put("rules", byRule);
    return map;
  }
}
