package dev.lockstep.spi.offline;

/**
 * An offline store whose tables take additive schema changes in place: a source that gains a column
 * keeps its table, and rows written before read null in the new column.
 */
public interface SupportsSchemaEvolution extends OfflineStore {

  /**
   * Changes {@code table}'s columns to {@code schema}: every current column is kept with its type
   * and nullability, the columns the table lacks are added (each must be nullable, since older rows
   * have no value for it), and the columns take {@code schema}'s order. Nothing changes when the
   * table has {@code schema} already.
   *
   * @throws NotFoundException if there is no such table
   * @throws IllegalArgumentException if {@code schema} drops a column, changes a column's type or
   *     nullability, or adds a required column; nothing changes
   * @throws BackendException if the change cannot be committed
   */
  void evolveSchema(String table, Schema schema);

  /**
   * Why {@code to} cannot replace {@code from} in place, or null if it can: the check of {@link
   * #evolveSchema}, for callers that must refuse such a change before making it.
   */
  static String incompatibility(Schema from, Schema to) {
    for (Column column : from.columns()) {
      java.util.Optional<Column> found = to.findColumn(column.name());
      if (found.isEmpty()) {
        return "column '" + column.name() + "' is dropped (an offline table keeps every column its rows hold)";
      }
      Column now = found.get();
      if (now.type() != column.type()) {
        return "column '" + column.name() + "' changes type from " + column.type().yamlName() + " to "
            + now.type().yamlName() + " (an offline table cannot convert the values its files hold)";
      }
      if (now.nullable() != column.nullable()) {
        return "column '" + column.name() + "' becomes " + (now.nullable() ? "nullable" : "required")
            + " (a key column stays a key)";
      }
    }
    for (Column column : to.columns()) {
      if (from.findColumn(column.name()).isEmpty() && !column.nullable()) {
        return "column '" + column.name() + "' is added as required (older rows have no value for it:"
            + " a new key column needs a new source)";
      }
    }
    return null;
  }
}
