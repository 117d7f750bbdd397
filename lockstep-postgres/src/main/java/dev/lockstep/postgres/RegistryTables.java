package dev.lockstep.postgres;

import dev.lockstep.api.CorruptDataException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two tables of the registry, in the first schema of the connection's {@code search_path}:
 *
 * <pre>
 * lockstep_registry (namespace text, version bigint, content bytea not null,
 *                    committed_at timestamptz not null, primary key (namespace, version))
 * lockstep_meta     (name text primary key, format text not null, format_version integer not null)
 * </pre>
 *
 * <p>{@code lockstep_meta} holds one row per Lockstep table, here {@code ('lockstep_registry',
 * 'lockstep.postgres-registry', 1)}: the layout's name and version, checked on every open.
 *
 * <p>Creating them takes a transaction-scoped advisory lock, so several processes opening a new
 * database at once create them once and all succeed (a bare {@code CREATE TABLE IF NOT EXISTS} can
 * fail on a concurrent creation). An existing table is not created again, so a role without the
 * {@code CREATE} privilege can use tables an administrator made.
 */
final class RegistryTables {
  static final String TABLE = "lockstep_registry";
  static final String META_TABLE = "lockstep_meta";
  static final String FORMAT = "lockstep.postgres-registry";
  static final int FORMAT_VERSION = 1;

  /** The advisory lock serializing table creation: "lockstep" in ASCII. */
  private static final long CREATION_LOCK = 0x6C6F636B73746570L;

  private static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS "
          + TABLE
          + " (namespace text, version bigint, content bytea NOT NULL,"
          + " committed_at timestamptz NOT NULL, PRIMARY KEY (namespace, version))";
  private static final String CREATE_META_TABLE =
      "CREATE TABLE IF NOT EXISTS "
          + META_TABLE
          + " (name text PRIMARY KEY, format text NOT NULL, format_version integer NOT NULL)";

  private RegistryTables() {}

  /**
   * Creates the tables if they are missing and checks the format marker.
   *
   * @throws SQLException if the database failed
   * @throws CorruptDataException if {@value #TABLE} is not a registry of this format version
   */
  static void createOrCheck(Connection connection, String where) throws SQLException {
    connection.setAutoCommit(false);
    try {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + CREATION_LOCK + ")");
      }
      boolean registryExists = exists(connection, TABLE);
      if (!exists(connection, META_TABLE)) {
        execute(connection, CREATE_META_TABLE);
      }
      Marker marker = marker(connection);
      if (!registryExists) {
        execute(connection, CREATE_TABLE);
        if (marker == null) {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO " + META_TABLE + " (name, format, format_version) VALUES (?, ?, ?)")) {
            insert.setString(1, TABLE);
            insert.setString(2, FORMAT);
            insert.setInt(3, FORMAT_VERSION);
            insert.executeUpdate();
          }
          marker = new Marker(FORMAT, FORMAT_VERSION);
        }
      }
      check(marker, where);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static void check(Marker marker, String where) {
    if (marker == null) {
      throw new CorruptDataException(
          "Cannot open the registry in "
              + where
              + ": table "
              + TABLE
              + " exists but is not marked as a Lockstep registry in "
              + META_TABLE
              + " (another program may own it: use another database or schema)");
    }
    if (!marker.format().equals(FORMAT) || marker.version() != FORMAT_VERSION) {
      String hint =
          marker.format().equals(FORMAT) && marker.version() > FORMAT_VERSION
              ? "upgrade Lockstep"
              : "use another database or schema";
      throw new CorruptDataException(
          "Cannot open the registry in "
              + where
              + ": table "
              + TABLE
              + " is in format '"
              + marker.format()
              + "' version "
              + marker.version()
              + ", this Lockstep reads '"
              + FORMAT
              + "' version "
              + FORMAT_VERSION
              + " ("
              + hint
              + ")");
    }
  }

  private record Marker(String format, int version) {}

  private static Marker marker(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT format, format_version FROM " + META_TABLE + " WHERE name = ?")) {
      select.setString(1, TABLE);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? new Marker(row.getString(1), row.getInt(2)) : null;
      }
    }
  }

  private static boolean exists(Connection connection, String table) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      select.setString(1, table);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
