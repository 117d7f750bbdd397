package dev.lockstep.core.training;

import java.util.List;
import java.util.Optional;

/** Glue between a feature view's filter text and the partitioner. */
final class FilterColumns {
  private FilterColumns() {}

  /** The columns the filter reads. */
  static List<String> of(Optional<String> filter) {
    if (filter.isEmpty()) {
      return List.of();
    }
    throw new UnsupportedOperationException("filters: pending RowFilter");
  }

  /** The filter bound per batch schema, or null for none. */
  static EventPartitioner.FilterBinder binder(Optional<String> filter) {
    if (filter.isEmpty()) {
      return null;
    }
    throw new UnsupportedOperationException("filters: pending RowFilter");
  }
}
