package dev.lockstep.api.definition;

import dev.lockstep.api.InvalidDefinitionException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a source's events are stored. */
public enum SourceFormat {
  /** Comma-separated text with a header row; RFC 4180 quoting. */
  CSV,
  /** One JSON object per line. */
  JSONL,
  /** Apache Parquet files. */
  PARQUET,
  /** An existing Apache Iceberg table, read at its current snapshot. */
  ICEBERG;

  /** The lower-case name used in definition files. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format named {@code name} in a definition file, case-insensitive.
   *
   * @throws InvalidDefinitionException naming the formats there are
   */
  public static SourceFormat forName(String name) {
    for (SourceFormat format : values()) {
      if (format.yamlName().equalsIgnoreCase(name)) {
        return format;
      }
    }
    throw new InvalidDefinitionException(
        "Unknown source format '"
            + name
            + "' (use one of "
            + Arrays.stream(values()).map(SourceFormat::yamlName).collect(Collectors.joining(", "))
            + ")");
  }
}
