package dev.lockstep.registry;

import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.spi.offline.Column;
import dev.lockstep.spi.offline.Schema;
import dev.lockstep.spi.offline.SupportsSchemaEvolution;
import java.util.ArrayList;
import java.util.List;

/** The offline table a source's events are kept in, as the registry plans changes to it. */
public final class SourceTables {
  private SourceTables() {}

  /** The offline schema of {@code source}'s events: its columns in order, keys not null. */
  public static Schema tableSchema(Source source) {
    List<Column> columns = new ArrayList<>();
    for (SourceColumn column : source.columns()) {
      boolean key = source.keyColumns().contains(column.name());
      columns.add(new Column(column.name(), column.type(), !key));
    }
    return Schema.of(columns);
  }

  /**
   * Why the table of a source declared as {@code before} cannot hold the source declared as {@code
   * after} in place, or null if it can (new nullable columns, another order).
   */
  public static String incompatibility(Source before, Source after) {
    return SupportsSchemaEvolution.incompatibility(tableSchema(before), tableSchema(after));
  }
}
