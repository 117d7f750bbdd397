package dev.lockstep.embedded.iceberg;

import dev.lockstep.spi.BackendException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The Iceberg catalog of a warehouse directory: a {@link JdbcCatalog} named {@value #CATALOG_NAME}
 * on the SQLite file {@value #CATALOG_FILE} in the directory, tables in namespace {@code lockstep}
 * under {@code <warehouse>/lockstep/<table>}. Any Iceberg client configured the same way (JDBC URI,
 * catalog name, warehouse) sees the same tables.
 */
final class WarehouseCatalog {
  static final String CATALOG_NAME = "lockstep";
  static final String CATALOG_FILE = "catalog.db";
  static final Namespace NAMESPACE = Namespace.of("lockstep");

  /** How long a catalog write waits for another process's SQLite lock before failing. */
  static final int BUSY_TIMEOUT_MILLIS = 30_000;

  private WarehouseCatalog() {}

  /**
   * The Hadoop configuration Iceberg and Parquet use for files: the raw local file system, which
   * writes no {@code .crc} side files, uncached so that no other component's cached instance
   * replaces it.
   */
  static Configuration hadoopConf() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  /** The catalog properties of the warehouse in {@code warehouse}, an absolute directory. */
  static Map<String, String> properties(Path warehouse) {
    return Map.of(
        CatalogProperties.URI,
        "jdbc:sqlite:" + warehouse.resolve(CATALOG_FILE),
        CatalogProperties.WAREHOUSE_LOCATION,
        warehouse.toString(),
        CatalogProperties.FILE_IO_IMPL,
        HadoopFileIO.class.getName(),
        CatalogProperties.CLIENT_POOL_SIZE,
        "2",
        JdbcCatalog.PROPERTY_PREFIX + "schema-version",
        "V1",
        // sqlite-jdbc pragmas: write-ahead logging lets readers run beside a writer, and a busy
        // timeout makes a writer wait for another process's lock instead of failing.
        JdbcCatalog.PROPERTY_PREFIX + "journal_mode",
        "WAL",
        JdbcCatalog.PROPERTY_PREFIX + "busy_timeout",
        Integer.toString(BUSY_TIMEOUT_MILLIS));
  }

  /**
   * Opens the catalog of {@code warehouse}, creating the directory, the catalog database and the
   * namespace if they do not exist.
   *
   * @throws BackendException if the directory or the catalog cannot be opened
   */
  static JdbcCatalog open(Path warehouse, Configuration conf) {
    RuntimeException failure = null;
    // Two processes opening a new warehouse at once race to create the catalog's tables; the loser
    // fails once and then finds them.
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return tryOpen(warehouse, conf);
      } catch (IOException | RuntimeException e) {
        failure =
            new BackendException(
                "Cannot open the iceberg offline store in "
                    + warehouse
                    + ": "
                    + e
                    + " (check that the directory is writable and "
                    + CATALOG_FILE
                    + " is an Iceberg JDBC catalog)",
                e);
      }
    }
    throw failure;
  }

  private static JdbcCatalog tryOpen(Path warehouse, Configuration conf) throws IOException {
    JdbcCatalog catalog = new JdbcCatalog();
    try {
      Files.createDirectories(warehouse);
      catalog.setConf(conf);
      catalog.initialize(CATALOG_NAME, properties(warehouse));
      if (!catalog.namespaceExists(NAMESPACE)) {
        try {
          catalog.createNamespace(NAMESPACE, Map.of());
        } catch (AlreadyExistsException e) {
          // Another process created it first.
        }
      }
      return catalog;
    } catch (IOException | RuntimeException e) {
      try {
        catalog.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The identifier of Lockstep table {@code table}. */
  static TableIdentifier identifier(String table) {
    return TableIdentifier.of(NAMESPACE, table);
  }

  /** Closes {@code catalog} and its connection pool. */
  static void close(JdbcCatalog catalog, Path warehouse) {
    try {
      catalog.close();
    } catch (RuntimeException e) {
      throw new BackendException(
          "Cannot close the iceberg offline store in " + warehouse + ": " + e, e);
    }
  }
}
