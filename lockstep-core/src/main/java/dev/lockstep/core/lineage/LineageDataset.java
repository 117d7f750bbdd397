package dev.lockstep.core.lineage;

import dev.lockstep.api.definition.SourceColumn;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset as OpenLineage names it: a namespace and a name unique in it, with the columns when
 * they are known cheaply. Lockstep names its datasets so:
 *
 * <ul>
 *   <li>a file or directory (an ingested file, a spine, a training set): namespace {@code file},
 *       name its absolute path;
 *   <li>an offline table: namespace {@code lineage.namespace} (default {@code lockstep}), name
 *       {@code offline.<table>} (a source's table is named after the source);
 *   <li>a feature view's online state: the same namespace, name {@code online.<view>}.
 * </ul>
 *
 * @param namespace the OpenLineage dataset namespace
 * @param name the dataset's name in it
 * @param columns its columns, for the schema facet; empty when unknown
 */
public record LineageDataset(String namespace, String name, List<SourceColumn> columns) {
  /** The namespace of files and directories on this machine. */
  public static final String FILE_NAMESPACE = "file";

  public LineageDataset {
    columns = List.copyOf(columns);
  }

  /** The file or directory {@code path}. */
  public static LineageDataset file(Path path, List<SourceColumn> columns) {
    return new LineageDataset(FILE_NAMESPACE, path.toAbsolutePath().normalize().toString(), columns);
  }

  /** The offline table {@code table}. */
  public static LineageDataset offlineTable(String namespace, String table, List<SourceColumn> columns) {
    return new LineageDataset(namespace, "offline." + table, columns);
  }

  /** The online state of feature view {@code view}. */
  public static LineageDataset onlineView(String namespace, String view) {
    return new LineageDataset(namespace, "online." + view, List.of());
  }
}
