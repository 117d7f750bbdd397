package dev.lockstep.core.training;

import dev.lockstep.definition.BoundRowFilter;
import dev.lockstep.definition.RowFilter;
import java.util.List;
import java.util.Optional;

/** Glue between a feature view's filter text and the partitioner. */
final class FilterColumns {
  private FilterColumns() {}

  /** The columns the filter reads. */
  static List<String> of(Optional<String> filter) {
    return filter.map(text -> RowFilter.parse(text).columns()).orElse(List.of());
  }

  /** The filter bound per batch schema, or null for none. */
  static EventPartitioner.FilterBinder binder(Optional<String> filter) {
    if (filter.isEmpty()) {
      return null;
    }
    RowFilter parsed = RowFilter.parse(filter.get());
    return schema -> {
      BoundRowFilter bound = parsed.bind(schema);
      return bound::test;
    };
  }
}
