package dev.lockstep.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendConfig;
import dev.lockstep.spi.BackendConfigException;
import dev.lockstep.spi.BackendException;
import dev.lockstep.spi.Backends;
import dev.lockstep.spi.OutcomeUnknownException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import dev.lockstep.testkit.contract.RegistryStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry store contract and the PostgreSQL specifics, against the server on 127.0.0.1:5432
 * with the store's default properties. Each test works in a namespace of its own, deleted after
 * it; tests that change the tables themselves use a schema of their own.
 */
class PostgresRegistryStoreTest extends RegistryStoreContract {
  private static final String SECRET = "s3cret-Pa55word";

  private final List<String> namespaces = new ArrayList<>();
  private final List<String> schemas = new ArrayList<>();
  private String namespace;

  @Override
  protected RegistryStore newStore() {
    namespace = LocalPostgres.newNamespace("contract");
    namespaces.add(namespace);
    return load(Map.of(PostgresRegistryStoreFactory.NAMESPACE, namespace));
  }

  @Override
  protected RegistryStore reopen() {
    return load(Map.of(PostgresRegistryStoreFactory.NAMESPACE, namespace));
  }

  @AfterEach
  void deleteNamespacesAndSchemas() throws SQLException {
    for (String used : namespaces) {
      LocalPostgres.deleteNamespace(used);
    }
    for (String schema : schemas) {
      LocalPostgres.dropSchema(schema);
    }
  }

  private static RegistryStore load(Map<String, String> properties) {
    return Backends.load(RegistryStore.class, PostgresRegistryStore.NAME, properties);
  }

  @Test
  void theFactoryDeclaresItsPropertiesAndDefaults() {
    assertThat(store).isInstanceOf(PostgresRegistryStore.class);
    assertThat(store.name()).isEqualTo("postgres");
    assertThat(store.displayName()).isEqualTo("PostgreSQL");
    assertThat(Backends.available(RegistryStore.class)).contains("postgres");
    PostgresRegistryStoreFactory factory = new PostgresRegistryStoreFactory();
    assertThat(factory.name()).isEqualTo("postgres");
    assertThat(factory.role()).isEqualTo(RegistryStore.class);
    assertThat(factory.secretKeys()).containsExactly("password");
    assertThat(List.of(
            PostgresRegistryStoreFactory.URL,
            PostgresRegistryStoreFactory.USER,
            PostgresRegistryStoreFactory.PASSWORD,
            PostgresRegistryStoreFactory.NAMESPACE,
            PostgresRegistryStoreFactory.POOL_SIZE,
            PostgresRegistryStoreFactory.TIMEOUT))
        .containsExactly("url", "user", "password", "namespace", "pool-size", "timeout");

    PostgresSettings defaults =
        PostgresRegistryStoreFactory.settings(BackendConfig.of("postgres", Map.of()));

    assertThat(defaults)
        .isEqualTo(
            new PostgresSettings(
                "jdbc:postgresql://127.0.0.1:5432/postgres",
                System.getProperty("user.name"),
                Optional.empty(),
                "lockstep",
                2,
                Duration.ofSeconds(10)));
  }

  @Test
  void everyPropertyIsRead() {
    Map<String, String> properties = new HashMap<>();
    properties.put("url", "jdbc:postgresql://db.example:6543/registry?sslmode=require");
    properties.put("user", "lockstep");
    properties.put("password", SECRET);
    properties.put("namespace", "fraud");
    properties.put("pool-size", "5");
    properties.put("timeout", "1m");

    PostgresSettings settings =
        PostgresRegistryStoreFactory.settings(BackendConfig.of("postgres", properties));

    assertThat(settings)
        .isEqualTo(
            new PostgresSettings(
                "jdbc:postgresql://db.example:6543/registry?sslmode=require",
                "lockstep",
                Optional.of(SECRET),
                "fraud",
                5,
                Duration.ofMinutes(1)));
    assertThat(settings.toString())
        .doesNotContain(SECRET)
        .contains("password=****")
        .contains("jdbc:postgresql://db.example:6543/registry,");
  }

  @Test
  void malformedPropertiesAreRejectedByName() {
    assertThatThrownBy(() -> load(Map.of("pool-size", "0")))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'postgres': property 'pool-size' must be at least 1,"
            + " got 0 (e.g. 2)");
    assertThatThrownBy(() -> load(Map.of("timeout", "500ms")))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'postgres': property 'timeout' must be at least 1s,"
            + " got 500ms (e.g. 10s)");
    assertThatThrownBy(() -> load(Map.of("timeout", "soon")))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessageStartingWith("Cannot configure backend 'postgres': property 'timeout' must be a"
            + " duration");
    assertThatThrownBy(() -> load(Map.of("namespace", " ")))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'postgres': property 'namespace' is blank"
            + " (name the project, e.g. lockstep)");
    assertThatThrownBy(
            () -> load(Map.of("url", "jdbc:mysql://127.0.0.1/db?password=" + SECRET)))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'postgres': property 'url' must start with"
            + " 'jdbc:postgresql:', got 'jdbc:mysql://127.0.0.1/db?...'"
            + " (e.g. jdbc:postgresql://127.0.0.1:5432/postgres)");
  }

  @Test
  void everyConnectionHasTheStatementTimeoutAndSynchronousCommit() throws SQLException {
    PostgresSettings settings =
        PostgresRegistryStoreFactory.settings(
            BackendConfig.of("postgres", Map.of("timeout", "3s", "pool-size", "1")));

    try (HikariDataSource pool = ConnectionPool.open(settings);
        Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT current_setting('statement_timeout'),"
                    + " current_setting('synchronous_commit'), current_setting('application_name')")) {
      row.next();
      assertThat(row.getString(1)).isEqualTo("3s");
      assertThat(row.getString(2)).isEqualTo("on");
      assertThat(row.getString(3)).isEqualTo("lockstep");
    }
  }

  @Test
  void namespacesAreSeparateRegistries() {
    String otherNamespace = LocalPostgres.newNamespace("other");
    namespaces.add(otherNamespace);
    try (RegistryStore other = load(Map.of("namespace", otherNamespace))) {
      RegistryVersion mine = store.commit(0, utf8("{\"mine\": 1}"));
      assertThat(other.current()).isEmpty();

      RegistryVersion theirs = other.commit(0, utf8("{\"theirs\": 1}"));
      store.commit(1, utf8("{\"mine\": 2}"));

      assertThat(other.history()).containsExactly(theirs);
      assertThat(store.version(1)).contains(mine);
      assertThat(store.history()).hasSize(2);
    }
  }

  @Test
  void eachVersionIsOneRowAndTheTableNamesItsFormat() throws SQLException {
    RegistryVersion first = store.commit(0, utf8("{\"a\": 1}"));
    store.commit(1, new byte[] {0, 1, 2});

    try (Connection connection = LocalPostgres.connect()) {
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT version, content, committed_at FROM lockstep_registry WHERE namespace = ?"
                  + " ORDER BY version")) {
        select.setString(1, namespace);
        try (ResultSet rows = select.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getLong(1)).isEqualTo(1);
          assertThat(rows.getBytes(2)).isEqualTo(utf8("{\"a\": 1}"));
          assertThat(rows.getObject(3, OffsetDateTime.class).toInstant())
              .isEqualTo(first.committedAt());
          assertThat(rows.next()).isTrue();
          assertThat(rows.getLong(1)).isEqualTo(2);
          assertThat(rows.getBytes(2)).containsExactly(0, 1, 2);
          assertThat(rows.next()).isFalse();
        }
      }
      try (Statement statement = connection.createStatement();
          ResultSet marker =
              statement.executeQuery(
                  "SELECT format, format_version FROM lockstep_meta"
                      + " WHERE name = 'lockstep_registry'")) {
        assertThat(marker.next()).isTrue();
        assertThat(marker.getString(1)).isEqualTo("lockstep.postgres-registry");
        assertThat(marker.getInt(2)).isEqualTo(1);
      }
    }
  }

  @Test
  void aNewerFormatVersionIsRefused() throws SQLException {
    String schema = newSchema();
    String url = LocalPostgres.urlOfSchema(schema);
    load(Map.of("url", url)).close();
    try (Connection connection = LocalPostgres.connect(url);
        Statement statement = connection.createStatement()) {
      statement.execute("UPDATE lockstep_meta SET format_version = 2");
    }

    assertThatThrownBy(() -> load(Map.of("url", url)))
        .isExactlyInstanceOf(CorruptDataException.class)
        .hasMessage("Cannot open the registry in namespace 'lockstep' of PostgreSQL at "
            + "jdbc:postgresql://127.0.0.1:5432/postgres (user '" + System.getProperty("user.name")
            + "'): table lockstep_registry is in format 'lockstep.postgres-registry' version 2,"
            + " this Lockstep reads 'lockstep.postgres-registry' version 1 (upgrade Lockstep)");
  }

  @Test
  void aTableOfThatNameNotMarkedAsARegistryIsRefused() throws SQLException {
    String schema = newSchema();
    String url = LocalPostgres.urlOfSchema(schema);
    try (Connection connection = LocalPostgres.connect(url);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE lockstep_registry (id integer)");
    }

    assertThatThrownBy(() -> load(Map.of("url", url)))
        .isExactlyInstanceOf(CorruptDataException.class)
        .hasMessageContaining("table lockstep_registry exists but is not marked as a Lockstep"
            + " registry in lockstep_meta (another program may own it: use another database or"
            + " schema)");
  }

  /** Several processes opening a database without the tables at once: all succeed. */
  @Test
  @Timeout(60)
  void concurrentFirstOpensAllSucceed() throws Exception {
    String url = LocalPostgres.urlOfSchema(newSchema());
    int openers = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(openers);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < openers; i++) {
        String opener = "opener-" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try (RegistryStore opened =
                      load(Map.of("url", url, "namespace", opener, "pool-size", "1"))) {
                    return opened.commit(0, utf8("{}")).version();
                  }
                }));
      }
      start.countDown();
      for (Future<Long> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection connection = LocalPostgres.connect(url);
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT count(*) FROM lockstep_meta")) {
      count.next();
      assertThat(count.getLong(1)).isEqualTo(1);
    }
  }

  @Test
  void anUnreachableServerIsReportedWithoutThePassword() {
    Throwable refused =
        catchThrowable(
            () ->
                load(
                    Map.of(
                        "url", "jdbc:postgresql://127.0.0.1:1/postgres",
                        "password", SECRET,
                        "timeout", "2s")));

    assertThat(refused)
        .isExactlyInstanceOf(BackendException.class)
        .hasMessageStartingWith(
            "Cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/postgres as user '"
                + System.getProperty("user.name")
                + "': ")
        .hasMessageEndingWith(
            " (check that the server is running and the url, user and password properties)");
    assertNoCauseShows(refused, SECRET);
  }

  @Test
  void aPasswordInTheUrlIsNeverShown() {
    // The driver rejects this URL (the port is not a number) and HikariCP's error repeats it whole.
    Throwable rejected =
        catchThrowable(
            () ->
                load(
                    Map.of(
                        "url",
                        "jdbc:postgresql://127.0.0.1:port/postgres?user=root&password=" + SECRET,
                        "timeout",
                        "2s")));
    Throwable wrongDatabase =
        catchThrowable(
            () ->
                load(
                    Map.of(
                        "url",
                        "jdbc:postgresql://127.0.0.1:5432/no_such_database?password=" + SECRET,
                        "password",
                        SECRET)));

    assertThat(rejected).isExactlyInstanceOf(BackendException.class);
    assertNoCauseShows(rejected, SECRET);
    assertThat(wrongDatabase)
        .isExactlyInstanceOf(BackendException.class)
        .hasMessageContaining("no_such_database");
    assertNoCauseShows(wrongDatabase, SECRET);
  }

  /**
   * A commit blocked behind another writer's uncommitted version ends at the statement timeout as
   * a plain failure: nothing was committed, and committing again works.
   */
  @Test
  @Timeout(60)
  void aCommitThatTimesOutCommitsNothing() throws Exception {
    RegistryVersion first = store.commit(0, utf8("{\"v\": 1}"));
    try (RegistryStore impatient = load(Map.of("namespace", namespace, "timeout", "1s"));
        Connection blocker = LocalPostgres.connect()) {
      holdVersion(blocker, 2);

      assertThatThrownBy(() -> impatient.commit(1, utf8("{\"v\": 2}")))
          .isExactlyInstanceOf(BackendException.class)
          .hasMessageStartingWith("Cannot commit registry version 2 in namespace '" + namespace)
          .hasMessageEndingWith("(nothing was committed; a statement may run 1000ms, raise the"
              + " timeout property if the database is slow)");

      blocker.rollback();
      assertThat(impatient.current()).contains(first);
      assertThat(impatient.commit(1, utf8("{\"v\": 2}")).version()).isEqualTo(2);
    }
  }

  /**
   * A connection lost while the commit statement ran (here: the server ends the session) is an
   * unknown outcome, never a plain failure or a conflict.
   */
  @Test
  @Timeout(60)
  void aConnectionLostDuringACommitIsAnUnknownOutcome() throws Exception {
    RegistryVersion first = store.commit(0, utf8("{\"v\": 1}"));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection blocker = LocalPostgres.connect();
        Connection admin = LocalPostgres.connect()) {
      int blockerPid = holdVersion(blocker, 2);
      Future<RegistryVersion> commit = pool.submit(() -> store.commit(1, utf8("{\"v\": 2}")));
      terminate(admin, waitForBlockedBy(admin, blockerPid));

      Throwable thrown = catchThrowable(() -> commit.get(30, TimeUnit.SECONDS)).getCause();

      assertThat(thrown)
          .isExactlyInstanceOf(OutcomeUnknownException.class)
          .hasMessageStartingWith("Cannot tell whether registry version 2 was committed in"
              + " namespace '" + namespace + "'")
          .hasMessageEndingWith("(compare the current version with the change before retrying)");
      blocker.rollback();
      assertThat(store.current()).contains(first);
      assertThat(store.commit(1, utf8("{\"v\": 2}")).version()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Inserts version {@code version} of the namespace in an open transaction; its backend pid. */
  private int holdVersion(Connection blocker, long version) throws SQLException {
    blocker.setAutoCommit(false);
    try (PreparedStatement insert =
        blocker.prepareStatement(
            "INSERT INTO lockstep_registry (namespace, version, content, committed_at)"
                + " VALUES (?, ?, '\\x'::bytea, now())")) {
      insert.setString(1, namespace);
      insert.setLong(2, version);
      insert.executeUpdate();
    }
    try (Statement statement = blocker.createStatement();
        ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
      pid.next();
      return pid.getInt(1);
    }
  }

  /** The backend waiting for {@code blockerPid}'s locks, once there is one. */
  private static int waitForBlockedBy(Connection admin, int blockerPid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (PreparedStatement select =
          admin.prepareStatement(
              "SELECT pid FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")) {
        select.setInt(1, blockerPid);
        try (ResultSet rows = select.executeQuery()) {
          if (rows.next()) {
            return rows.getInt(1);
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("No commit was blocked by backend " + blockerPid);
  }

  private static void terminate(Connection admin, int pid) throws SQLException {
    try (PreparedStatement terminate =
        admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
      terminate.setInt(1, pid);
      terminate.executeQuery().close();
    }
  }

  private String newSchema() throws SQLException {
    String schema = LocalPostgres.newSchema();
    schemas.add(schema);
    return schema;
  }

  private static void assertNoCauseShows(Throwable thrown, String secret) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      assertThat(String.valueOf(cause.getMessage())).doesNotContain(secret);
      assertThat(cause.toString()).doesNotContain(secret);
      for (Throwable suppressed : cause.getSuppressed()) {
        assertThat(suppressed.toString()).doesNotContain(secret);
      }
    }
  }
}
