package dev.lockstep.io;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A source's declaration as the file readers need it: the time columns, the payload columns with
 * their types and key flags in {@code source.columns()} order, and the wording of every reason.
 */
final class SourceBinding {
  final Source source;
  final String eventTimeColumn;
  /** Null when the source has no ingest-time column. */
  final String ingestTimeColumn;
  final String[] names;
  final ValueType[] types;
  final boolean[] keys;
  final String zoneHint;

  SourceBinding(Source source) {
    this.source = source;
    this.eventTimeColumn = source.eventTimeColumn();
    this.ingestTimeColumn = source.ingestTimeColumn().orElse(null);
    List<SourceColumn> columns = source.columns();
    names = new String[columns.size()];
    types = new ValueType[columns.size()];
    keys = new boolean[columns.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = columns.get(i).name();
      types[i] = columns.get(i).type();
      keys[i] = source.keyColumns().contains(names[i]);
    }
    zoneHint = "declare zone: on source " + source.name();
  }

  /** Every column the file must have: the event time, the ingest time if any, then the payload. */
  List<String> requiredColumns() {
    List<String> required = new ArrayList<>();
    required.add(eventTimeColumn);
    if (ingestTimeColumn != null) {
      required.add(ingestTimeColumn);
    }
    required.addAll(List.of(names));
    return required;
  }

  /**
   * @throws DataFileException naming the declared columns {@code fileColumns} lacks, or a declared
   *     column it has twice
   */
  void requireColumns(Path file, List<String> fileColumns) {
    List<String> missing = new ArrayList<>();
    for (String column : requiredColumns()) {
      if (!fileColumns.contains(column)) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      String listed = missing.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
      throw new DataFileException(
          "Cannot read "
              + file.getFileName()
              + ": it has no column"
              + (missing.size() > 1 ? "s " : " ")
              + listed
              + " (the file has "
              + String.join(", ", fileColumns)
              + ")");
    }
    Set<String> seen = new HashSet<>();
    Set<String> required = new HashSet<>(requiredColumns());
    for (String column : fileColumns) {
      if (!seen.add(column) && required.contains(column)) {
        throw new DataFileException(
            "Cannot read "
                + file.getFileName()
                + ": it has column '"
                + column
                + "' twice (rename one of them)");
      }
    }
  }

  static String column(String name, String reason) {
    return "column '" + name + "': " + reason;
  }

  String missingKey(int column) {
    return column(names[column], "missing key");
  }

  String missingEventTime() {
    return column(eventTimeColumn, "missing event time");
  }

  String missingIngestTime() {
    return column(ingestTimeColumn, "missing ingest time");
  }

  String badTime(String column, int status, String text) {
    return column(column, TimestampParser.reason(status, text, zoneHint));
  }

  static String notA(ValueType type, String text) {
    return "'" + text + "' is not a " + type.yamlName();
  }

  static String outOfRange(ValueType type, String text) {
    return "'" + text + "' is out of range for a " + type.yamlName();
  }
}
