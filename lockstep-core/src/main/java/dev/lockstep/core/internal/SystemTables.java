package dev.lockstep.core.internal;

import dev.lockstep.api.ValueType;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Schema;
import java.util.List;

/**
 * Every offline table Lockstep keeps beside the sources' own, described once: the project-wide
 * {@code lockstep__*} tables, and the per-source quarantine and per-service feature-log tables.
 * The classes that write them take their name and schema from here.
 *
 * <p>Immutable.
 */
public final class SystemTables {
  /** What every project-wide system table's name starts with. */
  public static final String PREFIX = "lockstep__";

  /** One system table: its name and the payload columns of its rows. */
  public record SystemTable(String name, Schema schema, String holds) {}

  /** Circuit breaker transitions (opened, reset), one row each. */
  public static final SystemTable BREAKERS = new SystemTable(PREFIX + "breakers", Schema.of(
    Column.required("source", ValueType.STRING),
    Column.required("state", ValueType.STRING),
    Column.required("reason", ValueType.STRING),
    Column.required("actor", ValueType.STRING),
    Column.required("rows", ValueType.LONG),
    Column.required("failed", ValueType.LONG)),
      "circuit breaker transitions");
  /** Batch ingests judged by a quality gate, one row each. */
  public static final SystemTable QUALITY_RUNS = new SystemTable(PREFIX + "quality_runs", Schema.of(
    Column.required("source", ValueType.STRING),
    Column.required("position", ValueType.STRING),
    Column.required("rows", ValueType.LONG),
    Column.required("failed", ValueType.LONG),
    Column.required("outcome", ValueType.STRING),
    Column.required("metrics", ValueType.STRING)),
      "batch quality runs");
  /** Training sets built, one row each, for lineage and drift. */
  public static final SystemTable TRAINING_SETS = new SystemTable(PREFIX + "training_sets", Schema.of(
    Column.required("name", ValueType.STRING),
    Column.required("path", ValueType.STRING),
    Column.required("service", ValueType.STRING),
    Column.required("registry_version", ValueType.LONG),
    Column.required("mode", ValueType.STRING),
    Column.required("rows", ValueType.LONG),
    Column.required("created_at", ValueType.STRING)),
      "training sets built");
  /** Parity checks (replays and the parity monitor), one row each. */
  public static final SystemTable PARITY_CHECKS = new SystemTable(PREFIX + "parity_checks", Schema.of(
    Column.required("service", ValueType.STRING),
    Column.required("checked_by", ValueType.STRING),
    Column.required("checked_at", ValueType.LONG),
    Column.nullable("from_t", ValueType.LONG),
    Column.nullable("to_t", ValueType.LONG),
    Column.nullable("first_sequence", ValueType.LONG),
    Column.nullable("last_sequence", ValueType.LONG),
    Column.required("vectors_checked", ValueType.LONG),
    Column.required("values_compared", ValueType.LONG),
    Column.required("mismatched_vectors", ValueType.LONG),
    Column.required("mismatched_values", ValueType.LONG),
    Column.nullable("first_mismatch", ValueType.STRING),
    Column.required("registry_versions", ValueType.STRING)),
      "parity checks");
  /** Quarantined rows replayed, with their outcome. */
  public static final SystemTable QUARANTINE_REPLAYS = new SystemTable(PREFIX + "quarantine_replays", Schema.of(
    Column.required("source", ValueType.STRING),
    Column.required("quarantine_id", ValueType.LONG),
    Column.required("outcome", ValueType.STRING),
    Column.required("replayed_at", ValueType.LONG)),
      "quarantined rows replayed");

  /** The project-wide tables. */
  public static final List<SystemTable> PROJECT = List.of(BREAKERS, QUALITY_RUNS, TRAINING_SETS, PARITY_CHECKS,
      QUARANTINE_REPLAYS);

  /** The payload of a source's quarantine table ({@link #quarantine}). */
  public static final Schema QUARANTINE_SCHEMA = Schema.of(
    Column.required("position", ValueType.STRING),
    Column.required("row", ValueType.LONG),
    Column.required("reason", ValueType.STRING),
    Column.required("raw", ValueType.STRING),
    Column.required("rule", ValueType.STRING),
    Column.required("origin", ValueType.STRING),
    Column.nullable("header", ValueType.STRING));
  /** The payload of a service's feature log ({@link #featureLog}). */
  public static final Schema FEATURE_LOG_SCHEMA = Schema.of(
    Column.required("registry_version", ValueType.LONG),
    Column.required("entity", ValueType.STRING),
    Column.required("t", ValueType.LONG),
    Column.required("vector", ValueType.STRING),
    Column.required("statuses", ValueType.STRING),
    Column.nullable("request", ValueType.STRING));
  /** The suffix of a source's quarantine table. */
  public static final String QUARANTINE_SUFFIX = "__quarantine";
  /** The suffix of a service's feature log. */
  public static final String FEATURE_LOG_SUFFIX = "__feature_log";

  private SystemTables() {}

  /** The quarantine table of {@code source}: rows refused at the door, with their reasons. */
  public static SystemTable quarantine(String source) {
    return new SystemTable(source + QUARANTINE_SUFFIX, QUARANTINE_SCHEMA, "rows of " + source + " refused");
  }

  /** The feature log of {@code service}: every vector served for it, for replay. */
  public static SystemTable featureLog(String service) {
    return new SystemTable(service + FEATURE_LOG_SUFFIX, FEATURE_LOG_SCHEMA, "vectors served for " + service);
  }
}
