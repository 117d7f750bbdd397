package dev.lockstep.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.spi.BackendException;
import java.time.Duration;

/**
 * Opens the store's HikariCP pool. Every connection has {@code statement_timeout} set to the
 * configured timeout, so a statement blocked behind another writer ends with a clean error (and
 * nothing committed) rather than hanging, and {@code synchronous_commit} on, so a commit that
 * returned is on disk whatever the server's default. The socket timeout is twice the statement
 * timeout: it only fires when the server stopped answering, which is an unknown outcome for a
 * commit.
 */
final class ConnectionPool {
  static final String APPLICATION_NAME = "lockstep";
  private static final long HIKARI_TIMEOUT_FLOOR_MILLIS = 250;

  private ConnectionPool() {}

  /**
   * A pool with one connection open, proving the server is reachable and the login works.
   *
   * @throws BackendException if it is not; the message never shows the password
   */
  static HikariDataSource open(PostgresSettings settings) {
    Duration timeout = settings.timeout();
    long timeoutMillis = Math.max(HIKARI_TIMEOUT_FLOOR_MILLIS, timeout.toMillis());
    long timeoutSeconds = Math.max(1, (timeoutMillis + 999) / 1000);
    HikariConfig config = new HikariConfig();
    config.setPoolName("lockstep-postgres-registry");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    settings.password().ifPresent(config::setPassword);
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(timeoutMillis);
    config.setValidationTimeout(Math.min(timeoutMillis, 5_000));
    // One attempt at open (bounded by connectTimeout), so a wrong url or login fails at once.
    config.setInitializationFailTimeout(1);
    config.setAutoCommit(true);
    config.setRegisterMbeans(false);
    config.setConnectionInitSql(
        "SET statement_timeout = " + timeoutMillis + "; SET synchronous_commit = on");
    config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
    config.addDataSourceProperty("connectTimeout", Long.toString(timeoutSeconds));
    config.addDataSourceProperty("loginTimeout", Long.toString(timeoutSeconds));
    config.addDataSourceProperty("socketTimeout", Long.toString(2 * timeoutSeconds));
    config.addDataSourceProperty("tcpKeepAlive", "true");
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new BackendException(
          settings.redact(
              "Cannot connect to PostgreSQL at "
                  + settings.shownUrl()
                  + " as user '"
                  + settings.user()
                  + "': "
                  + SqlFailures.reason(e)
                  + " (check that the server is running and the url, user and password"
                  + " properties)"),
          SqlFailures.redacted(settings, e));
    }
  }
}
