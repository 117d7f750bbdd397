package dev.lockstep.definition;

import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.spi.offline.Schema;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An unbound row filter of a feature view: conditions {@code column op literal} with ops {@code =
 * != < <= > >=}, and {@code column is null} / {@code column is not null}, joined by {@code and} and
 * {@code or} (and binds tighter) with parentheses. Literals are numbers ({@code 10}, {@code -2.5},
 * {@code 1e3}) and {@code 'single-quoted strings'} ({@code ''} is a quote). Keywords are
 * case-insensitive; a column with an odd name is written {@code "double-quoted"}.
 *
 * <p>Semantics are SQL's for rows: a comparison with a null value is false (so is {@code !=}), and
 * a row passes when the whole filter is true. Numbers compare exactly against long columns; against
 * double columns the literal is first rounded to the nearest double, and comparisons follow IEEE 754
 * (a NaN value only satisfies {@code !=}). Strings compare by Unicode code point, the byte order of
 * UTF-8. There is no boolean type.
 *
 * <pre>{@code
 * BoundRowFilter filter = RowFilter.parse("amount > 0 and merchant != 'test'").bind(batch.schema());
 * boolean kept = filter.test(batch, row);
 * }</pre>
 */
public final class RowFilter {
  private final String text;
  private final FilterExpression expression;
  private final List<String> columns;

  private RowFilter(String text, FilterExpression expression) {
    this.text = text;
    this.expression = expression;
    Set<String> names = new LinkedHashSet<>();
    expression.columns(names::add);
    this.columns = List.copyOf(names);
  }

  /**
   * Parses {@code text}.
   *
   * @throws InvalidDefinitionException {@code "Cannot parse filter '...': <problem> at position N
   *     (<hint>)"}
   */
  public static RowFilter parse(String text) {
    return new RowFilter(text, FilterParser.parse(text));
  }

  /** The distinct column names the filter reads, in the order they first appear. */
  public List<String> columns() {
    return columns;
  }

  /**
   * Resolves the columns by name in {@code schema} and checks each literal against its column's
   * type. The schema may hold other columns too.
   *
   * @throws InvalidDefinitionException if a column is not in the schema, or a number is compared
   *     with a string column or a string with a number column
   */
  public BoundRowFilter bind(Schema schema) {
    return new BoundRowFilter(this, schema, RowPredicates.bind(text, expression, schema));
  }

  /** The filter as written. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
