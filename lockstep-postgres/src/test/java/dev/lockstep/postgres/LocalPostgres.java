package dev.lockstep.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server the tests use: the store's defaults (127.0.0.1:5432, database {@code
 * postgres}, the operating-system user), reached directly over JDBC to inspect and clean up.
 */
final class LocalPostgres {
  private LocalPostgres() {}

  /** A connection as the store's default user to its default database. */
  static Connection connect() throws SQLException {
    return connect(PostgresRegistryStoreFactory.URL_DEFAULT);
  }

  static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, System.getProperty("user.name"), null);
  }

  /** A namespace no other test uses. */
  static String newNamespace(String prefix) {
    return "test-" + prefix + "-" + UUID.randomUUID();
  }

  /** Deletes every version of {@code namespace}. */
  static void deleteNamespace(String namespace) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM lockstep_registry WHERE namespace = ?")) {
      delete.setString(1, namespace);
      delete.executeUpdate();
    }
  }

  /** Creates an empty schema, named uniquely, for tests that need tables of their own. */
  static String newSchema() throws SQLException {
    String schema = "lockstep_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    return schema;
  }

  /** The URL of the default database with {@code schema} first on the search path. */
  static String urlOfSchema(String schema) {
    return PostgresRegistryStoreFactory.URL_DEFAULT + "?currentSchema=" + schema;
  }

  static void dropSchema(String schema) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
