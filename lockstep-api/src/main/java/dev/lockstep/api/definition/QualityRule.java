package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.PatternSyntaxException;

/**
 * One rule of a {@link DataContract}. Row rules ({@link NotNull}, {@link Range}, {@link
 * AllowedValues}, {@link Pattern}, {@link Freshness}) judge each row on every write path, batch and
 * stream; {@link Unique} and {@link Volume} judge one batch ingest as a whole. A row a rule fails
 * goes to quarantine with the rule's {@link #id()}; rows that do not fit the source's declared
 * columns fail the implicit {@value #SCHEMA} rule.
 */
public sealed interface QualityRule {
  /** The id of the implicit rule every row must pass: the source's declared columns and types. */
  String SCHEMA = "schema";

  /** A short stable id naming the rule and its columns, e.g. {@code range(amount)}. */
  String id();

  /** Whether the rule judges a batch ingest as a whole rather than each row on its own. */
  default boolean batchOnly() {
    return false;
  }

  /** The columns the rule reads (not counting the event time). */
  List<String> columns();

  /** The column must not be null (Deequ: completeness = 1). */
  record NotNull(String column) implements QualityRule {
    public NotNull {
      Names.column("not_null column", column);
    }

    @Override
    public String id() {
      return "not_null(" + column + ")";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /**
   * A numeric column's value must lie within {@code [min, max]}, bounds included; either bound may
   * be absent. Null values pass (combine with {@link NotNull}); NaN fails.
   */
  record Range(String column, OptionalDouble min, OptionalDouble max) implements QualityRule {
    public Range {
      Names.column("range column", column);
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.isEmpty() && max.isEmpty()) {
        throw new InvalidDefinitionException(
            "Cannot define range rule on '" + column + "': it has neither min nor max (add min: 0 or max: 100)");
      }
      if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
        throw new InvalidDefinitionException("Cannot define range rule on '" + column + "': min "
            + min.getAsDouble() + " is above max " + max.getAsDouble() + " (swap them)");
      }
    }

    @Override
    public String id() {
      return "range(" + column + ")";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /**
   * The column's value must be one of {@code values}, written as text (numbers as they would be
   * written in YAML: {@code 3}, {@code 2.5}). Null values pass.
   */
  record AllowedValues(String column, List<String> values) implements QualityRule {
    public AllowedValues {
      Names.column("allowed_values column", column);
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new InvalidDefinitionException(
            "Cannot define allowed_values rule on '" + column + "': the list of values is empty (list at least one)");
      }
    }

    @Override
    public String id() {
      return "allowed_values(" + column + ")";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /** A string column's value must match {@code regex} as a whole. Null values pass. */
  record Pattern(String column, String regex) implements QualityRule {
    public Pattern {
      Names.column("pattern column", column);
      Objects.requireNonNull(regex, "regex");
      try {
        java.util.regex.Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new InvalidDefinitionException("Cannot define pattern rule on '" + column + "': '" + regex
            + "' is not a regular expression (" + e.getDescription() + ")");
      }
    }

    @Override
    public String id() {
      return "pattern(" + column + ")";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /**
   * Within one batch ingest, no two rows may share the values of {@code columns} (which may include
   * the event-time column). The first row with a value is kept; each later one fails.
   */
  record Unique(List<String> columns) implements QualityRule {
    public Unique {
      columns = Names.list(columns);
      if (columns.isEmpty()) {
        throw new InvalidDefinitionException("Cannot define unique rule: it names no column (write unique: [txn_id])");
      }
      columns.forEach(column -> Names.column("unique column", column));
    }

    @Override
    public String id() {
      return "unique(" + String.join(", ", columns) + ")";
    }

    @Override
    public boolean batchOnly() {
      return true;
    }
  }

  /** A row's event must be at most {@code maxAge} old when it is ingested (ingest time − event time). */
  record Freshness(Duration maxAge) implements QualityRule {
    public Freshness {
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        throw new InvalidDefinitionException("Cannot define freshness rule: max age must be positive (write freshness: 1h)");
      }
    }

    @Override
    public String id() {
      return "freshness";
    }

    @Override
    public List<String> columns() {
      return List.of();
    }
  }

  /** One batch ingest must hold between {@code min} and {@code max} rows, bounds included. */
  record Volume(OptionalLong min, OptionalLong max) implements QualityRule {
    public Volume {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.isEmpty() && max.isEmpty()) {
        throw new InvalidDefinitionException("Cannot define volume rule: it has neither min nor max (add min: 1)");
      }
      if (min.orElse(0) < 0 || (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong())) {
        throw new InvalidDefinitionException("Cannot define volume rule: need 0 <= min <= max, got min "
            + (min.isPresent() ? min.getAsLong() : "-") + " and max " + (max.isPresent() ? max.getAsLong() : "-"));
      }
    }

    @Override
    public String id() {
      return "volume";
    }

    @Override
    public boolean batchOnly() {
      return true;
    }

    @Override
    public List<String> columns() {
      return List.of();
    }
  }
}
