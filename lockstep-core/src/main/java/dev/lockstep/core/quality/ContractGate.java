package dev.lockstep.core.quality;

import dev.lockstep.definition.QualityValues;

import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.definition.Durations;
import dev.lockstep.spi.offline.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A source's data contract, bound to its columns: judges rows as they are written, on the batch
 * path (one {@link Batch} per ingest) and on the stream path ({@link #check} alone). Rows are
 * arrays of values in the order of {@code source.columns()}, as the readers produce them.
 *
 * <p>Thread-safe; a {@link Batch} is not.
 */
public final class ContractGate {
  private static final int LISTED_VALUES = 5;

  /** One row rule, bound to its column's position. */
  private interface RowCheck {
    /** Why the row fails, or null. */
    String check(long eventTime, long ingestTime, Object[] values);
  }

  private final Source source;
  private final Optional<DataContract> contract;
  private final List<String> ids = new ArrayList<>();
  private final List<QualityRule> rowRules = new ArrayList<>();
  private final List<RowCheck> checks = new ArrayList<>();

  private ContractGate(Source source, Optional<DataContract> contract) {
    this.source = source;
    this.contract = contract;
    for (QualityRule rule : contract.map(DataContract::rules).orElse(List.of())) {
      if (!rule.batchOnly()) {
        ids.add(rule.id());
        rowRules.add(rule);
        checks.add(bind(rule));
      }
    }
  }

  /** The gate of {@code source} under {@code contract} (none: only the schema is checked). */
  public static ContractGate of(Source source, Optional<DataContract> contract) {
    return new ContractGate(source, contract);
  }

  public Source source() {
    return source;
  }

  public Optional<DataContract> contract() {
    return contract;
  }

  /**
   * The first row rule {@code values} fails, or null if it passes them all; counts the row in
   * {@code metrics}, for which every row rule is evaluated, so each rule's metric covers every row.
   *
   * @param eventTime the row's event time, epoch milliseconds
   * @param ingestTime when it is ingested, epoch milliseconds (for freshness)
   */
  public Violation check(long eventTime, long ingestTime, Object[] values, QualityMetrics metrics) {
    if (!Row.storableTime(eventTime) || !Row.storableTime(ingestTime)) {
      metrics.schemaFailure();
      return Violation.schema("the " + (Row.storableTime(eventTime) ? "ingest time " + ingestTime : "event time " + eventTime)
          + " ms since the epoch is beyond the years -290308 to 294247 that offline stores hold (check the time"
          + " column's unit: epoch milliseconds, or an ISO-8601 string)");
    }
    if (!source.acceptsEventTime(eventTime, ingestTime)) {
      metrics.schemaFailure(); // the source's declared time bound, part of what it accepts
      return futureViolation(eventTime, ingestTime);
    }
    Violation first = null;
    boolean[] failures = new boolean[checks.size()];
    for (int i = 0; i < checks.size(); i++) {
      String reason = checks.get(i).check(eventTime, ingestTime, values);
      if (reason != null) {
        failures[i] = true;
        if (first == null) {
          first = new Violation(ids.get(i), reason);
        }
      }
    }
    metrics.judged(failures);
    return first;
  }

  /** New, empty metrics of this gate's rules. */
  public QualityMetrics metrics() {
    return new QualityMetrics(rowRules);
  }

  /** The rules that judge one batch ingest as a whole: a new one per ingest. */
  public Batch batch() {
    return new Batch();
  }

  /** The batch rules of one ingest: uniqueness across its rows and its volume. */
  public final class Batch {
    private final List<QualityRule.Unique> uniques = contract.map(c -> c.rules(QualityRule.Unique.class)).orElse(List.of());
    private final List<Map<List<Object>, long[]>> firstRows = new ArrayList<>();
    private final QualityMetrics metrics = ContractGate.this.metrics();
    private long uniqueChecked;

    private Batch() {
      uniques.forEach(rule -> firstRows.add(new HashMap<>()));
    }

    /** The metrics of the rows judged so far; uniqueness and distinctness once {@link #volume} was asked. */
    public QualityMetrics metrics() {
      return metrics;
    }

    /**
     * The first row rule or uniqueness rule the row fails, or null. A row that passes is
     * remembered for uniqueness: the first row with a value is kept, later ones fail.
     *
     * @param rowNumber the row's position, quoted in the reason of later duplicates
     */
    public Violation check(long eventTime, long ingestTime, Object[] values, long rowNumber) {
      Violation violation = ContractGate.this.check(eventTime, ingestTime, values, metrics);
      if (violation != null) {
        return violation;
      }
      uniqueChecked++;
      Violation duplicate = null;
      for (int i = 0; i < uniques.size(); i++) {
        List<Object> key = uniqueKey(uniques.get(i), eventTime, values);
        long[] seen = firstRows.get(i).get(key);
        if (seen == null) {
          firstRows.get(i).put(key, new long[] {rowNumber, 1});
        } else {
          seen[1]++;
          if (duplicate == null) {
            duplicate = new Violation(uniques.get(i).id(), "the same " + String.join(", ", uniques.get(i).columns())
                + " as row " + seen[0] + " (" + describe(key) + ")");
          }
        }
      }
      return duplicate;
    }

    /**
     * Why {@code rows} rows in one ingest break the volume rule, or null; called once the batch is
     * read, it also completes the uniqueness metrics (over the rows that passed the row rules).
     */
    public Violation volume(long rows) {
      for (int i = 0; i < uniques.size(); i++) {
        long once = firstRows.get(i).values().stream().filter(seen -> seen[1] == 1).count();
        long duplicates = firstRows.get(i).values().stream().mapToLong(seen -> seen[1] - 1).sum();
        Map<String, Object> metric = new java.util.LinkedHashMap<>();
        metric.put("metric", "uniqueness");
        metric.put("value", uniqueChecked == 0 ? null : (double) once / uniqueChecked);
        metric.put("distinctness", uniqueChecked == 0 ? null : (double) firstRows.get(i).size() / uniqueChecked);
        metric.put("failed", duplicates);
        metrics.batch(uniques.get(i).id(), metric);
      }
      for (QualityRule.Volume volume : contract.map(c -> c.rules(QualityRule.Volume.class)).orElse(List.of())) {
        if (volume.min().isPresent() && rows < volume.min().getAsLong()) {
          return new Violation(volume.id(), rows + " rows, the contract expects at least " + volume.min().getAsLong());
        }
        if (volume.max().isPresent() && rows > volume.max().getAsLong()) {
          return new Violation(volume.id(), rows + " rows, the contract expects at most " + volume.max().getAsLong());
        }
      }
      return null;
    }
  }

  private List<Object> uniqueKey(QualityRule.Unique rule, long eventTime, Object[] values) {
    List<Object> key = new ArrayList<>(rule.columns().size());
    for (String column : rule.columns()) {
      key.add(column.equals(source.eventTimeColumn()) && source.column(column).isEmpty()
          ? Instant.ofEpochMilli(eventTime) : values[position(column)]);
    }
    return key;
  }

  private static String describe(List<Object> key) {
    return key.stream().map(ContractGate::quote).collect(Collectors.joining(", "));
  }

  private RowCheck bind(QualityRule rule) {
    if (rule instanceof QualityRule.NotNull notNull) {
      int at = position(notNull.column());
      String reason = "column '" + notNull.column() + "' is null";
      return (eventTime, ingestTime, values) -> values[at] == null ? reason : null;
    }
    if (rule instanceof QualityRule.Range range) {
      int at = position(range.column());
      double min = range.min().orElse(Double.NEGATIVE_INFINITY);
      double max = range.max().orElse(Double.POSITIVE_INFINITY);
      return (eventTime, ingestTime, values) -> {
        Object value = values[at];
        if (value == null) {
          return null;
        }
        double number = ((Number) value).doubleValue();
        if (Double.isNaN(number)) {
          return "column '" + range.column() + "' is NaN, not within the range";
        }
        if (number < min) {
          return "column '" + range.column() + "': " + value + " is below the minimum " + bound(min);
        }
        if (number > max) {
          return "column '" + range.column() + "': " + value + " is above the maximum " + bound(max);
        }
        return null;
      };
    }
    if (rule instanceof QualityRule.AllowedValues allowed) {
      int at = position(allowed.column());
      var type = source.column(allowed.column()).orElseThrow().type();
      Set<Object> values = new HashSet<>();
      allowed.values().forEach(text -> values.add(QualityValues.parse(type, text)));
      String listed = allowed.values().stream().limit(LISTED_VALUES).collect(Collectors.joining(", "))
          + (allowed.values().size() > LISTED_VALUES ? ", ... (" + allowed.values().size() + " in all)" : "");
      return (eventTime, ingestTime, row) -> row[at] == null || values.contains(row[at]) ? null
          : "column '" + allowed.column() + "': " + quote(row[at]) + " is not an allowed value (" + listed + ")";
    }
    if (rule instanceof QualityRule.Pattern pattern) {
      int at = position(pattern.column());
      Predicate<String> matches = java.util.regex.Pattern.compile(pattern.regex()).asMatchPredicate();
      return (eventTime, ingestTime, values) -> values[at] == null || matches.test((String) values[at]) ? null
          : "column '" + pattern.column() + "': " + quote(values[at]) + " does not match " + pattern.regex();
    }
    QualityRule.Freshness freshness = (QualityRule.Freshness) rule;
    long maxAge = freshness.maxAge().toMillis();
    return (eventTime, ingestTime, values) -> ingestTime - eventTime <= maxAge ? null
        : "the event at " + Instant.ofEpochMilli(eventTime) + " is " + age(ingestTime - eventTime)
            + " old at ingest (at most " + Durations.format(freshness.maxAge()) + ")";
  }

  private Violation futureViolation(long eventTime, long ingestTime) {
    return new Violation(Source.MAX_FUTURE_RULE, "the event at " + Instant.ofEpochMilli(eventTime) + " is dated "
        + age(eventTime - ingestTime) + " after its ingest at " + Instant.ofEpochMilli(ingestTime) + " (at most "
        + Durations.format(source.maxFuture()) + " ahead: fix the producer's clock or timestamp unit, or raise"
        + " max_future on source " + source.name() + ")");
  }

  /** An age for people: {@code 36h}, {@code 2.5d}, {@code 90s}, {@code 12ms}. */
  static String age(long millis) {
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis >= units[i]) {
        double value = Math.floor(millis * 10.0 / units[i]) / 10;
        return (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)) + names[i];
      }
    }
    return millis + "ms";
  }

  private static String bound(double bound) {
    return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound) : Double.toString(bound);
  }

  private static String quote(Object value) {
    return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
  }

  private int position(String column) {
    List<SourceColumn> columns = source.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("Source '" + source.name() + "' has no column '" + column + "' among "
        + Arrays.toString(columns.stream().map(SourceColumn::name).toArray()));
  }
}
