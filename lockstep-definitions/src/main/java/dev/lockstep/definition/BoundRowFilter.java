package dev.lockstep.definition;

import dev.lockstep.spi.offline.RowBatch;
import dev.lockstep.spi.offline.Schema;

/**
 * A {@link RowFilter} bound to a schema: its columns resolved to positions and its literals to
 * their columns' types. Immutable and thread-safe.
 */
public final class BoundRowFilter {
  private final RowFilter filter;
  private final Schema schema;
  private final RowPredicates.RowPredicate predicate;

  BoundRowFilter(RowFilter filter, Schema schema, RowPredicates.RowPredicate predicate) {
    this.filter = filter;
    this.schema = schema;
    this.predicate = predicate;
  }

  /**
   * Whether row {@code row} of {@code batch} passes.
   *
   * @throws IllegalArgumentException if the batch's schema is not the one this filter was bound to
   */
  public boolean test(RowBatch batch, int row) {
    if (batch.schema() != schema && !batch.schema().equals(schema)) {
      throw new IllegalArgumentException("Cannot filter a batch of " + batch.schema()
          + " with a filter bound to " + schema + " (bind it to the batch's schema)");
    }
    return predicate.test(batch, row);
  }

  /**
   * Whether a row passes, given its values by position in the bound schema: {@code Long}, {@code
   * Double} or {@code String} by column type, or null.
   *
   * @throws ClassCastException if a value read has another type than its column's
   * @throws ArrayIndexOutOfBoundsException if {@code values} is shorter than the schema
   */
  public boolean test(Object[] values) {
    return predicate.test(values);
  }

  /** The schema this filter was bound to. */
  public Schema schema() {
    return schema;
  }

  /** The unbound filter. */
  public RowFilter filter() {
    return filter;
  }

  @Override
  public String toString() {
    return filter.text();
  }
}
