package dev.lockstep.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spi.BackendConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectConfigTest {
  @TempDir Path repository;

  private ProjectConfig load(String yaml, Map<String, String> environment) throws IOException {
    Files.writeString(repository.resolve("lockstep.yaml"), yaml);
    return ProjectConfig.load(repository, repository.resolve(".lockstep"), environment);
  }

  @Test
  void withoutAFileEveryRoleIsEmbeddedInTheDataDirectory() {
    ProjectConfig config = ProjectConfig.load(repository, repository.resolve(".lockstep"), Map.of());
    Path data = repository.resolve(".lockstep").toAbsolutePath();
    assertThat(config.offline()).isEqualTo(selection("iceberg", Map.of("warehouse", data.resolve("warehouse").toString())));
    assertThat(config.registry()).isEqualTo(selection("file", Map.of("dir", data.resolve("registry").toString())));
    assertThat(config.online()).isEqualTo(selection("rocksdb", Map.of("dir", data.resolve("online").toString())));
    assertThat(config.eventLog()).isEqualTo(selection("local", Map.of("dir", data.resolve("log").toString())));
    assertThat(config.streams()).isEmpty();
  }

  @Test
  void aBackendNameAloneSelectsItWithItsDefaults() throws IOException {
    ProjectConfig config = load("online: redis\n", Map.of());
    assertThat(config.online()).isEqualTo(BackendSelection.of("redis"));
    assertThat(config.eventLog().backend()).isEqualTo("local");
  }

  @Test
  void mapsGiveProperties_nestedMapsAreFlattenedWithDots() throws IOException {
    ProjectConfig config = load("""
        event_log:
          backend: kafka
          bootstrap.servers: broker:9092
          kafka: {security.protocol: SSL, linger: {ms: 5}}
          replication-factor: 3
        """, Map.of());
    assertThat(config.eventLog()).isEqualTo(selection("kafka", Map.of("bootstrap.servers", "broker:9092",
        "kafka.security.protocol", "SSL", "kafka.linger.ms", "5", "replication-factor", "3")));
  }

  @Test
  void environmentVariablesAreSubstitutedAndTheirPropertiesAreSecret() throws IOException {
    ProjectConfig config = load("""
        registry:
          backend: postgres
          url: jdbc:postgresql://${PGHOST:-127.0.0.1}:5432/features
          user: lockstep
          password: ${PGPASSWORD}
          namespace: ${TEAM:-fraud}-prod
        """, Map.of("PGPASSWORD", "hunter2", "PGHOST", "db.internal"));
    BackendSelection registry = config.registry();
    assertThat(registry.properties()).containsEntry("password", "hunter2")
        .containsEntry("url", "jdbc:postgresql://db.internal:5432/features")
        .containsEntry("namespace", "fraud-prod")
        .containsEntry("user", "lockstep");
    assertThat(registry.secretKeys()).containsExactlyInAnyOrder("password", "url", "namespace");
    assertThat(registry.toString()).doesNotContain("hunter2").doesNotContain("db.internal").contains("user=lockstep");
  }

  @Test
  void anUnsetVariableWithoutDefaultIsAnErrorNamingTheKeyButNeverAValue() throws IOException {
    assertThatThrownBy(() -> load("online: {backend: redis, password: '${REDIS_PASSWORD}'}\n", Map.of()))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot read lockstep.yaml: 'online.password' refers to environment variable REDIS_PASSWORD,"
            + " which is not set (export it, or give a default: ${REDIS_PASSWORD:-value})");
  }

  @Test
  void embeddedDirectoriesResolveAgainstTheRepository() throws IOException {
    ProjectConfig config = load("online: {backend: rocksdb, dir: state/online}\n", Map.of());
    assertThat(config.online().properties())
        .containsEntry("dir", repository.resolve("state/online").toAbsolutePath().normalize().toString());
  }

  @Test
  void streamsMapSourcesToFeeds() throws IOException {
    ProjectConfig config = load("streams:\n  payments: {backend: kafka, topic: payments}\n", Map.of());
    assertThat(config.streams()).containsOnlyKeys("payments");
    assertThat(config.stream("payments")).contains(selection("kafka", Map.of("topic", "payments")));
    assertThat(config.stream("refunds")).isEmpty();
  }

  @Test
  void monitoringSettingsOverrideTheDefaultsAndMistakesAreOneLine() throws IOException {
    assertThat(ProjectConfig.load(repository, repository.resolve(".lockstep"), Map.of()).monitoring())
        .isEqualTo(MonitoringConfig.defaults());
    MonitoringConfig config = load("monitoring: {drift_window: 30m, psi_alert: 0.3, min_count: 50, parity_interval: 10s}\n",
        Map.of()).monitoring();
    assertThat(config.driftWindow()).isEqualTo(java.time.Duration.ofMinutes(30));
    assertThat(config.thresholds()).isEqualTo(new dev.lockstep.core.drift.DriftThresholds(0.1, 0.3, 0.1, 0.2, 50));
    assertThat(config.parityInterval()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThatThrownBy(() -> load("monitoring: {psi_alrt: 0.3}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'monitoring.psi_alrt' is not a setting (use drift_window, psi_warn,"
            + " psi_alert, ks_warn, ks_alert, min_count, parity_interval)");
    assertThatThrownBy(() -> load("monitoring: {psi_alert: high}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'monitoring.psi_alert' must be a number, got 'high' (e.g. psi_alert: 0.25)");
    assertThatThrownBy(() -> load("monitoring: {drift_window: soon}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'monitoring.drift_window' must be a duration, got 'soon' (e.g. drift_window: 1h)");
    assertThatThrownBy(() -> load("monitoring: {psi_warn: 0.5, psi_alert: 0.2}\n", Map.of()))
        .hasMessageStartingWith("Cannot read lockstep.yaml: the monitoring settings do not fit together: ");
  }

  @Test
  void authHoldsKeyDigestsAndJwtSettingsAndMistakesAreOneLine() throws IOException {
    String sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertThat(load("", Map.of()).auth()).isEmpty();
    AuthConfig auth = load("auth:\n  api_keys:\n    - {name: scoring, sha256: " + sha.toUpperCase()
        + ", roles: [reader]}\n  jwt:\n    hs256_secret: ${JWT_SECRET}\n    issuer: https://id.example\n",
        Map.of("JWT_SECRET", "s".repeat(32))).auth().orElseThrow();
    assertThat(auth.apiKeys()).containsExactly(new AuthConfig.ApiKey("scoring", sha, List.of("reader")));
    assertThat(auth.jwt().orElseThrow().hs256Secret()).hasValue("s".repeat(32));
    assertThat(auth.jwt().orElseThrow().issuer()).hasValue("https://id.example");
    assertThat(auth.jwt().orElseThrow().rolesClaim()).isEqualTo("roles");
    assertThat(auth.jwt().orElseThrow().toString()).doesNotContain("sss");
    AuthConfig rs = load("auth: {jwt: {rs256_public_key: keys/issuer.pem, roles_claim: groups}}\n", Map.of())
        .auth().orElseThrow();
    assertThat(rs.jwt().orElseThrow().rs256PublicKey()).hasValue(repository.resolve("keys/issuer.pem"));
    assertThatThrownBy(() -> load("auth: {api_keys: [{name: a, sha256: abc}]}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'auth.api_keys[0].sha256' is not a SHA-256 in hex (64 characters)"
            + " (print one with: lockstep auth new-key --name a)");
    assertThatThrownBy(() -> load("auth: {jwt: {hs256_secret: short}}\n", Map.of()))
        .hasMessageContaining("shorter than 32 bytes");
    assertThatThrownBy(() -> load("auth: {jwt: {hs256_secret: " + "s".repeat(32) + ", jwks_file: j.json}}\n", Map.of()))
        .hasMessageContaining("needs exactly one of hs256_secret, rs256_public_key and jwks_file");
    assertThatThrownBy(() -> load("auth: {}\n", Map.of())).hasMessageContaining("names no api_keys and no jwt");
    assertThatThrownBy(() -> load("auth: {keys: []}\n", Map.of())).hasMessageContaining("'auth.keys' is not a setting");
    assertThatThrownBy(() -> load("auth:\n  api_keys:\n    - {name: a, sha256: " + sha + "}\n    - {name: b, sha256: "
        + sha + "}\n", Map.of())).hasMessageContaining("repeats a name or a key");
  }

  @Test
  void limitsHaveDocumentedDefaultsAndOverridesAndMistakesAreOneLine() throws IOException {
    LimitsConfig defaults = ProjectConfig.load(repository, repository.resolve(".lockstep"), Map.of()).limits();
    assertThat(defaults).isEqualTo(LimitsConfig.defaults());
    assertThat(defaults.maxBatchEntities()).isEqualTo(10_000);
    assertThat(defaults.maxPushEvents()).isEqualTo(100_000);
    assertThat(defaults.maxBodyBytes()).isEqualTo(16L << 20);
    assertThat(defaults.maxResponseBytes()).isEqualTo(64L << 20);
    assertThat(defaults.maxInFlightRequests()).isEqualTo(64);
    assertThat(defaults.maxConnectionsPerAddress()).isEqualTo(256);
    assertThat(defaults.maxUnappliedEvents()).isEqualTo(1_000_000);
    assertThat(defaults.readTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    LimitsConfig set = load("limits: {max_batch_entities: 50, max_body_mb: 2, max_unapplied_events: 5000,"
        + " read_timeout: 2s}\n", Map.of()).limits();
    assertThat(set).isEqualTo(new LimitsConfig(50, 100_000, 2L << 20, 64L << 20, 64, 256, 5_000,
        java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2)));
    assertThat(defaults.maxApplyLag()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThatThrownBy(() -> load("limits: {max_batch: 5}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'limits.max_batch' is not a limit (use max_batch_entities,"
            + " max_push_events, max_body_mb, max_response_mb, max_in_flight_requests, max_connections_per_address,"
            + " max_unapplied_events, max_apply_lag, read_timeout, max_requests_per_second)");
    assertThat(defaults.maxRequestsPerSecond()).isEqualTo(LimitsConfig.NO_RATE_LIMIT);
    assertThat(load("limits: {max_requests_per_second: 200}\n", Map.of()).limits().maxRequestsPerSecond()).isEqualTo(200);
    assertThatThrownBy(() -> load("limits: {max_push_events: 0}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'limits.max_push_events' must be a whole number from 1 to 2147483647,"
            + " got '0' (e.g. max_push_events: 100000)");
    assertThatThrownBy(() -> load("limits: {read_timeout: never}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'limits.read_timeout' must be a duration, got 'never' (e.g. read_timeout: 30s)");
  }

  @Test
  void mistakesGetOneLineSayingWhatToDo() {
    assertThatThrownBy(() -> load("onlne: redis\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'onlne' is not a setting"
            + " (use offline, registry, online, event_log, streams, lineage, monitoring, limits, auth)");
    assertThatThrownBy(() -> load("online: {uri: redis://x}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'online' names no backend (add backend: <name>, e.g. backend: redis)");
    assertThatThrownBy(() -> load("online: [redis]\n", Map.of()))
        .hasMessageStartingWith("Cannot read lockstep.yaml: 'online' must be a backend name or a map with 'backend'");
    assertThatThrownBy(() -> load("streams: [payments]\n", Map.of()))
        .hasMessageStartingWith("Cannot read lockstep.yaml: 'streams' must map source names to feeds");
    assertThatThrownBy(() -> load("online: {backend: redis\n", Map.of()))
        .hasMessageStartingWith("Cannot read lockstep.yaml: ").hasMessageEndingWith("(fix the YAML syntax)");
  }

  @Test
  void withoutLineageNoEventsAreSent() throws IOException {
    assertThat(load("online: redis\n", Map.of()).lineage()).isEmpty();
  }

  @Test
  void aFileTransportWritesIntoTheDataDirectoryByDefault() throws IOException {
    LineageConfig lineage = load("lineage: {transport: file}\n", Map.of()).lineage().orElseThrow();
    assertThat(lineage.transport()).isEqualTo(LineageConfig.Transport.FILE);
    assertThat(lineage.file()).contains(repository.resolve(".lockstep/lineage/events.jsonl").toAbsolutePath().normalize());
    assertThat(lineage.namespace()).isEqualTo("lockstep");
    LineageConfig named = load("lineage: {transport: file, path: out/ol.jsonl, namespace: fraud}\n", Map.of())
        .lineage().orElseThrow();
    assertThat(named.file()).contains(repository.resolve(".lockstep/out/ol.jsonl").toAbsolutePath().normalize());
    assertThat(named.namespace()).isEqualTo("fraud");
  }

  @Test
  void anHttpTransportHasDefaultsAndNeverShowsItsKey() throws IOException {
    LineageConfig lineage = load("""
        lineage:
          transport: http
          url: http://${MARQUEZ_HOST:-127.0.0.1}:5000
          api_key: ${MARQUEZ_KEY}
        """, Map.of("MARQUEZ_KEY", "s3cret", "MARQUEZ_HOST", "marquez.internal")).lineage().orElseThrow();
    assertThat(lineage.transport()).isEqualTo(LineageConfig.Transport.HTTP);
    assertThat(lineage.url()).contains(java.net.URI.create("http://marquez.internal:5000"));
    assertThat(lineage.endpoint()).isEqualTo("/api/v1/lineage");
    assertThat(lineage.timeoutMillis()).isEqualTo(5000);
    assertThat(lineage.apiKey()).contains("s3cret");
    assertThat(lineage.secretKeys()).containsExactlyInAnyOrder("api_key", "url");
    assertThat(lineage.toString())
        .isEqualTo("lineage{transport=http, destination=****/api/v1/lineage, api_key=****, namespace=lockstep}");
    LineageConfig literal = load("lineage: {transport: http, url: 'http://m:5000', endpoint: /v2/lineage,"
        + " api_key: abc, timeout_ms: 250}\n", Map.of()).lineage().orElseThrow();
    assertThat(literal.toString())
        .isEqualTo("lineage{transport=http, destination=http://m:5000/v2/lineage, api_key=****, namespace=lockstep}");
    assertThat(literal.timeoutMillis()).isEqualTo(250);
  }

  @Test
  void lineageMistakesGetOneLineSayingWhatToDo() {
    assertThatThrownBy(() -> load("lineage: file\n", Map.of()))
        .isInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot read lockstep.yaml: 'lineage' must be a map with 'transport' (e.g. lineage:"
            + " {transport: file, path: lineage/events.jsonl} or lineage: {transport: http, url: http://marquez:5000})");
    assertThatThrownBy(() -> load("lineage: {transport: kafka}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'lineage.transport' is 'kafka' (use file or http)");
    assertThatThrownBy(() -> load("lineage: {path: x.jsonl}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'lineage' names no transport (add transport: file or transport: http)");
    assertThatThrownBy(() -> load("lineage: {transport: http}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'lineage' with transport http has no url (add url: http://marquez:5000)");
    assertThatThrownBy(() -> load("lineage: {transport: http, url: '${URL}'}\n", Map.of("URL", "ftp://secret-host")))
        .hasMessage("Cannot read lockstep.yaml: 'lineage.url' its value is not an http(s) URL"
            + " (write e.g. url: http://marquez:5000)");
    assertThatThrownBy(() -> load("lineage: {transport: http, url: 'http://m', timeout_ms: soon}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'lineage.timeout_ms' must be a positive number of milliseconds"
            + " (e.g. timeout_ms: 5000)");
    assertThatThrownBy(() -> load("lineage: {transport: file, url: 'http://m'}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'lineage.url' does not apply to transport file"
            + " (remove it, or use transport: http)");
    assertThatThrownBy(() -> load("lineage: {transport: file, folder: x}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'lineage.folder' is not a setting"
            + " (use transport, path, url, endpoint, api_key, timeout_ms, namespace)");
    assertThatThrownBy(() -> load("lineage: {transport: http, url: 'http://m', api_key: '${KEY}'}\n", Map.of()))
        .hasMessage("Cannot read lockstep.yaml: 'lineage.api_key' refers to environment variable KEY, which is not set"
            + " (export it, or give a default: ${KEY:-value})");
  }

  private static BackendSelection selection(String backend, Map<String, String> properties) {
    return new BackendSelection(backend, properties, java.util.Set.of());
  }
}
