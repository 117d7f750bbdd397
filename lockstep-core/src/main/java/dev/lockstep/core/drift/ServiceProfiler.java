package dev.lockstep.core.drift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates a {@link ServiceProfile}: one {@link ValueProfiler} per feature column, fed row by row.
 * Mutable and not thread-safe; profile parts apart and {@link #merge} them in a fixed order.
 */
public final class ServiceProfiler {
  private final LinkedHashMap<String, ValueProfiler> columns = new LinkedHashMap<>();
  private final int trackedCategories;
  private long rows;

  private ServiceProfiler(int trackedCategories) {
    this.trackedCategories = trackedCategories;
  }

  /** A profiler of exactly {@code columns}, fed with {@link #add(Object[])} in their order. */
  public static ServiceProfiler of(List<ValueProfiler> columns) {
    ServiceProfiler profiler = new ServiceProfiler(ValueProfiler.TRACKED_CATEGORIES_DEFAULT);
    columns.forEach(column -> profiler.columns.put(column.name(), column));
    return profiler;
  }

  /** A profiler whose columns appear as {@link #add(Map)} meets them, their types inferred. */
  static ServiceProfiler inferred(int trackedCategories) {
    return new ServiceProfiler(trackedCategories);
  }

  /** Adds one row: one value per column, in column order. */
  public void add(Object[] values) {
    int i = 0;
    for (ValueProfiler column : columns.values()) {
      column.add(values[i++]);
    }
    rows++;
  }

  /**
   * Adds one row given by column name. A column first met now is counted as null in the rows before
   * it; a known column missing from {@code values} counts as null.
   */
  void add(Map<String, Object> values) {
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      column(entry.getKey()).add(entry.getValue());
    }
    if (columns.size() > values.size()) {
      for (ValueProfiler column : columns.values()) {
        if (!values.containsKey(column.name())) {
          column.add(null);
        }
      }
    }
    rows++;
  }

  private ValueProfiler column(String name) {
    ValueProfiler column = columns.get(name);
    if (column == null) {
      column = ValueProfiler.inferred(name, trackedCategories);
      column.addNulls(rows);
      columns.put(name, column);
    }
    return column;
  }

  /** Adds everything {@code other} profiled, after what this one did; {@code other} is unchanged. */
  public void merge(ServiceProfiler other) {
    for (ValueProfiler column : columns.values()) {
      if (!other.columns.containsKey(column.name())) {
        column.addNulls(other.rows);
      }
    }
    for (ValueProfiler column : other.columns.values()) {
      ValueProfiler mine = columns.get(column.name());
      if (mine == null) {
        mine = ValueProfiler.inferred(column.name(), trackedCategories);
        mine.addNulls(rows);
        columns.put(column.name(), mine);
      }
      mine.merge(column);
    }
    rows += other.rows;
  }

  /** The rows added so far. */
  public long rows() {
    return rows;
  }

  /** The profile of everything added so far, with its service and time range (ISO-8601 or null). */
  public ServiceProfile finish(String service, String from, String to) {
    List<FeatureProfile> features = new ArrayList<>(columns.size());
    columns.values().forEach(column -> features.add(column.finish()));
    return ServiceProfile.of(service, rows, from, to, features);
  }
}
