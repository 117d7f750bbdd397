package dev.lockstep.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The distributed registry store: every version of every namespace's registry document as one row
 * of the PostgreSQL table {@code lockstep_registry} (layout and format marker in {@link
 * RegistryTables}). Load it with {@code Backends.load(RegistryStore.class, "postgres", properties)};
 * see {@link PostgresRegistryStoreFactory} for the properties.
 *
 * <p><b>Commit.</b> One autocommitted statement inserts version {@code expected + 1} only if the
 * newest version of the namespace it sees is {@code expected}:
 *
 * <pre>
 * INSERT INTO lockstep_registry (namespace, version, content, committed_at)
 * SELECT ?, ?, ?, clock_timestamp()
 * WHERE (SELECT coalesce(max(version), 0) FROM lockstep_registry WHERE namespace = ?) = ?
 * </pre>
 *
 * No row inserted means another version is newest; two writers racing for the same version both
 * pass the check, and the primary key lets exactly one insert it: the other waits for it and gets a
 * unique violation. Either way the loser gets a {@link CommitConflictException} naming the current
 * version. Since version {@code n + 1} is only inserted once {@code n} is committed and visible,
 * versions have no gaps. A statement that times out ({@code statement_timeout}) is rolled back; a
 * connection lost while the statement ran is an {@link OutcomeUnknownException}.
 *
 * <p>Thread-safe: each call borrows a connection from the pool.
 */
public final class PostgresRegistryStore implements RegistryStore {
  /** The name this backend is loaded by. */
  public static final String NAME = "postgres";

  private static final String COLUMNS = "version, committed_at, content";
  private static final String SELECT_CURRENT =
      "SELECT " + COLUMNS + " FROM lockstep_registry WHERE namespace = ?"
          + " ORDER BY version DESC LIMIT 1";
  private static final String SELECT_VERSION =
      "SELECT " + COLUMNS + " FROM lockstep_registry WHERE namespace = ? AND version = ?";
  private static final String SELECT_HISTORY =
      "SELECT " + COLUMNS + " FROM lockstep_registry WHERE namespace = ? ORDER BY version";
  private static final String INSERT_NEXT =
      "INSERT INTO lockstep_registry (namespace, version, content, committed_at)"
          + " SELECT ?, ?, ?, clock_timestamp()"
          + " WHERE (SELECT coalesce(max(version), 0) FROM lockstep_registry WHERE namespace = ?)"
          + " = ? RETURNING committed_at";

  private final PostgresSettings settings;
  private final HikariDataSource pool;
  private volatile boolean closed;

  private PostgresRegistryStore(PostgresSettings settings, HikariDataSource pool) {
    this.settings = settings;
    this.pool = pool;
  }

  /**
   * Connects, then creates the tables if they are missing and checks their format.
   *
   * @throws BackendException if the database cannot be reached or the tables not created
   * @throws dev.lockstep.api.CorruptDataException if the tables are of another format or version
   */
  static PostgresRegistryStore open(PostgresSettings settings) {
    HikariDataSource pool = ConnectionPool.open(settings);
    PostgresRegistryStore store = new PostgresRegistryStore(settings, pool);
    try (Connection connection = pool.getConnection()) {
      RegistryTables.createOrCheck(connection, store.where());
    } catch (SQLException e) {
      pool.close();
      throw store.failure("create or check the registry tables", e, "check that the user may"
          + " create tables, or have an administrator create them");
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return store;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String displayName() {
    return "PostgreSQL";
  }

  /** The registry within the shared table that this store reads and commits. */
  public String namespace() {
    return settings.namespace();
  }

  @Override
  public Optional<RegistryVersion> current() {
    checkOpen();
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_CURRENT)) {
      select.setString(1, settings.namespace());
      return readOne(select);
    } catch (SQLException e) {
      throw failure("read the current registry version", e, "retry");
    }
  }

  @Override
  public RegistryVersion commit(long expectedVersion, byte[] content) {
    checkOpen();
    RegistryStore.checkCommit(expectedVersion, content);
    long version = expectedVersion + 1;
    Connection connection;
    try {
      connection = pool.getConnection();
    } catch (SQLException e) {
      throw failure("commit registry version " + version, e, "nothing was committed; retry");
    }
    try (connection;
        PreparedStatement insert = connection.prepareStatement(INSERT_NEXT)) {
      insert.setString(1, settings.namespace());
      insert.setLong(2, version);
      insert.setBytes(3, content);
      insert.setString(4, settings.namespace());
      insert.setLong(5, expectedVersion);
      try (ResultSet inserted = insert.executeQuery()) {
        if (inserted.next()) {
          return new RegistryVersion(
              version, inserted.getObject(1, OffsetDateTime.class).toInstant(), content);
        }
      }
    } catch (SQLException e) {
      if (!SqlFailures.UNIQUE_VIOLATION.equals(SqlFailures.state(e))) {
        throw commitFailure(version, e);
      }
    }
    throw new CommitConflictException(expectedVersion, current().orElse(null));
  }

  private RuntimeException commitFailure(long version, SQLException e) {
    checkOpen();
    String what = "commit registry version " + version;
    if (SqlFailures.outcomeUnknown(e)) {
      return new OutcomeUnknownException(
          settings.redact(
              "Cannot tell whether registry version "
                  + version
                  + " was committed in "
                  + where()
                  + ": "
                  + SqlFailures.reason(e)
                  + " (compare the current version with the change before retrying)"),
          SqlFailures.redacted(settings, e));
    }
    if (SqlFailures.QUERY_CANCELED.equals(SqlFailures.state(e))) {
      return failure(
          what,
          e,
          "nothing was committed; a statement may run "
              + settings.timeout().toMillis()
              + "ms, raise the timeout property if the database is slow");
    }
    return failure(what, e, "nothing was committed; retry");
  }

  @Override
  public List<RegistryVersion> history() {
    checkOpen();
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_HISTORY)) {
      select.setString(1, settings.namespace());
      List<RegistryVersion> history = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          history.add(version(rows));
        }
      }
      return history;
    } catch (SQLException e) {
      throw failure("read the registry history", e, "retry");
    }
  }

  @Override
  public Optional<RegistryVersion> version(long version) {
    checkOpen();
    if (version < 1) {
      return Optional.empty();
    }
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT_VERSION)) {
      select.setString(1, settings.namespace());
      select.setLong(2, version);
      return readOne(select);
    } catch (SQLException e) {
      throw failure("read registry version " + version, e, "retry");
    }
  }

  /** Closes the connection pool. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresRegistryStore[" + where() + "]";
  }

  private static Optional<RegistryVersion> readOne(PreparedStatement select) throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(version(rows)) : Optional.empty();
    }
  }

  private static RegistryVersion version(ResultSet row) throws SQLException {
    return new RegistryVersion(
        row.getLong(1), row.getObject(2, OffsetDateTime.class).toInstant(), row.getBytes(3));
  }

  /** Where this store's registry is, for messages: namespace, URL without parameters, user. */
  private String where() {
    return "namespace '"
        + settings.namespace()
        + "' of PostgreSQL at "
        + settings.shownUrl()
        + " (user '"
        + settings.user()
        + "')";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot use " + this + ": it is closed (open a new one)");
    }
  }

  private BackendException failure(String operation, SQLException e, String hint) {
    checkOpen();
    return new BackendException(
        settings.redact(
            "Cannot "
                + operation
                + " in "
                + where()
                + ": "
                + SqlFailures.reason(e)
                + " ("
                + hint
                + ")"),
        SqlFailures.redacted(settings, e));
  }
}
