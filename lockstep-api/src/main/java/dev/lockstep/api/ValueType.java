package dev.lockstep.api;

/** The type of a source column an aggregation reads. */
public enum ValueType {
  /** 64-bit signed integer. */
  LONG,
  /** IEEE 754 double. */
  DOUBLE,
  /** Unicode text; ordered by code point (the byte order of UTF-8), as Parquet and DuckDB do. */
  STRING;

  /** The lower-case name used in definition files. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
