package dev.lockstep.cli;

import static dev.lockstep.cli.QualityGateTest.batch;
import static dev.lockstep.cli.QualityGateTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.core.Lockstep;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring as an operator uses it against a running server: the status, breakers and metrics
 * over HTTP, an open breaker answering 503, and {@code lockstep breaker reset} from another command
 * resuming the server's stream.
 */
class MonitoringEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path repo;

  @Test
  void statusBreakersAndMetricsOverHttpAndAResetFromTheCliResumesTheStream() throws Exception {
    QualityGateTest.breakerProject(repo, 0.5, 4);
    long now = System.currentTimeMillis() - 1_000;
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      try (ServeCommand.Serving serving = ServeCommand.Serving.start(lockstep, "127.0.0.1", 0, List.of())) {
        URI base = URI.create("http://127.0.0.1:" + serving.port());
        String good = JSON.writeValueAsString(batch("c1", 3, 0, now));
        assertThat(post(base, "/v1/push/payments", good).statusCode()).isEqualTo(200);
        HttpResponse<String> tripped = post(base, "/v1/push/payments", JSON.writeValueAsString(batch("c1", 0, 5, now)));
        assertThat(tripped.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(tripped.body()).get("error").asText())
            .startsWith("Cannot accept events (5 of the 5 just received failed): the circuit breaker of source"
                + " 'payments' is open since ");
        assertThat(post(base, "/v1/push/payments", good).statusCode()).isEqualTo(503);

        JsonNode status = JSON.readTree(get(base, "/v1/status").body());
        assertThat(status.get("registry_version").asLong()).isEqualTo(1);
        JsonNode payments = status.get("sources").get("payments");
        assertThat(payments.get("breaker").get("state").asText()).isEqualTo("OPEN");
        assertThat(payments.get("breaker").get("reason").asText())
            .isEqualTo("5 of 8 rows failed the contract in the last 10m (62.5%, at most 50.0% allowed)");
        assertThat(payments.get("quarantined_total").asLong()).isEqualTo(5);
        assertThat(payments.get("stream").get("judged").asLong()).isEqualTo(8);
        assertThat(payments.get("quarantine_rate").asDouble()).isEqualTo(5.0 / 8);
        assertThat(status.get("views").get("card_life").get("paused").asBoolean()).isTrue();
        assertThat(status.get("alerts").get(0).asText()).startsWith("circuit breaker of source payments is OPEN");
        assertThat(JSON.readTree(get(base, "/v1/breakers").body()).get("payments").get("state").asText())
            .isEqualTo("OPEN");
        JsonNode quarantined = JSON.readTree(get(base, "/v1/quarantine/payments?rule=range").body());
        assertThat(quarantined.get("matched").asLong()).isEqualTo(5);
        assertThat(quarantined.get("rows").get(0).get("origin").asText()).isEqualTo("push");
        assertThat(quarantined.get("rows").get(0).get("reason").asText()).isEqualTo("column 'amount': -1.0 is below the minimum 0");
        var unknownSource = get(base, "/v1/quarantine/nope");
        assertThat(unknownSource.statusCode()).as(unknownSource.body()).isEqualTo(404);
        assertThat(JSON.readTree(unknownSource.body()).get("error").asText()).startsWith("Cannot find source 'nope' in the"
            + " registry");
        var ready = get(base, "/ready");
        assertThat(ready.statusCode()).as("an open breaker pauses, it does not make the server unready")
            .isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("sources").get("payments").get("paused").asBoolean()).isTrue();
        String metrics = get(base, "/metrics").body();
        assertThat(metrics).contains("lockstep_breaker_open{source=\"payments\"} 1.0")
            .contains("lockstep_source_quarantined{source=\"payments\"} 5.0")
            .contains("lockstep_quarantine_rows{source=\"payments\"} 5.0")
            .contains("lockstep_quality_metric{rule=\"range(amount)\",source=\"payments\"} 0.375")
            .containsPattern("lockstep_view_freshness_lag_seconds\\{view=\"card_life\"} [0-9.]+");

        Cli.Result check = Cli.run("-C", repo.toString(), "status", "--server", base.toString(), "--check");
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.out()).contains("Alerts: 1", "breaker: OPEN since", "PAUSED (breaker open)");

        // a reset from another command, through the breaker table: the server sees it within a second
        Cli.Result reset = Cli.run("-C", repo.toString(), "breaker", "reset", "payments");
        assertThat(reset.exitCode()).isZero();
        assertThat(reset.out()).startsWith("Circuit breaker of payments reset: it was open since ");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int code;
        do {
          Thread.sleep(100);
          code = post(base, "/v1/push/payments", good).statusCode();
        } while (code != 200 && System.nanoTime() < deadline);
        assertThat(code).isEqualTo(200);
        serving.online().awaitApplied(Duration.ofSeconds(30));
        assertThat(JSON.readTree(get(base, "/v1/status").body()).get("alerts")).isEmpty();

        JsonNode lineage = JSON.readTree(get(base, "/v1/lineage/scoring?direction=upstream").body());
        assertThat(lineage.get("node").get("id").asText()).isEqualTo("feature_service:scoring");
        assertThat(lineage.get("upstream").toString()).contains("source:payments");
        HttpResponse<String> noLineage = get(base, "/v1/lineage/scorin");
        assertThat(noLineage.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noLineage.body()).get("error").asText()).contains("(did you mean 'scoring'?)");

        HttpResponse<String> unknown = post(base, "/v1/breakers/nope/reset", "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("source 'nope'");
      }
    }
  }

  @Test
  void withoutAServerStatusAndBreakerListReadTheProjectsStores() throws Exception {
    QualityGateTest.breakerProject(repo, 0.5, 4);
    String ts = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    StringBuilder rows = new StringBuilder("card_id,txn_id,ts,amount,merchant,currency\n");
    for (int i = 0; i < 6; i++) {
      rows.append("c1,").append(i).append(',').append(ts).append(',').append(i < 2 ? "1.0" : "-1.0").append(",m,EUR\n");
    }
    write(repo.resolve("bad.csv"), rows.toString());
    String dir = repo.toString();
    assertThat(Cli.run("-C", dir, "apply").exitCode()).isZero();
    Cli.Result ingest = Cli.run("-C", dir, "ingest", "payments", repo.resolve("bad.csv").toString());
    assertThat(ingest.exitCode()).isEqualTo(1);
    assertThat(ingest.err()).contains("this file opened the source's circuit breaker (4 of 6 rows failed the"
        + " contract in the last 10m (66.7%, at most 50.0% allowed)); nothing was appended; 4 failing rows are in"
        + " payments__quarantine");

    Cli.Result list = Cli.run("-C", dir, "breaker", "list");
    assertThat(list.out()).startsWith("payments: OPEN since ")
        .contains("(4 of 6 rows failed the contract in the last 10m (66.7%, at most 50.0% allowed))");
    Cli.Result status = Cli.run("-C", dir, "status", "--check");
    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.out()).contains("Alerts: 1\n  ! circuit breaker of source payments is OPEN since ",
        "  payments: 1 contract rules, 4 rows quarantined in all\n",
        "  card_life (payments): freshness lag unknown (no event applied yet), watermark none, PAUSED (breaker open)",
        "Parity (served vectors rebuilt offline): no checks (serve with --log-features SERVICE)");
    JsonNode json = JSON.readTree(Cli.run("-C", dir, "status", "--json").out());
    assertThat(json.get("sources").get("payments").get("quarantined_total").asLong()).isEqualTo(4);

    assertThat(Cli.run("-C", dir, "breaker", "reset", "payments").exitCode()).isZero();
    assertThat(Cli.run("-C", dir, "breaker", "list").out()).isEqualTo("payments: CLOSED\n");
    assertThat(Cli.run("-C", dir, "status", "--check").exitCode()).isZero();
    Cli.Result unknown = Cli.run("-C", dir, "breaker", "reset", "nope");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("lockstep: Cannot reset the circuit breaker of source 'nope': there is no"
        + " source 'nope' in the registry (sources: [payments])\n");
  }

  @Test
  void theFreshnessLagOfAViewIsKnownAgainAfterARestart() throws Exception {
    write(repo.resolve("features.yaml"), QualityGateTest.DEFINITIONS);
    long newest = java.time.Instant.now().minusSeconds(3_600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
        .toEpochMilli();
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.online().startStreaming();
      lockstep.online().client().push("payments", List.of(QualityGateTest.event("c1", 1, newest - 60_000, 1.0, "EUR"),
          QualityGateTest.event("c2", 2, newest, 2.0, "EUR")));
      lockstep.online().awaitApplied(Duration.ofSeconds(30));
      Map<String, Object> view = lockstep.online().freshness(newest + 5_000).get("card_life");
      assertThat(view).containsEntry("newest_event", java.time.Instant.ofEpochMilli(newest).toString())
          .containsEntry("freshness_lag_ms", 5_000L);
    }
    try (Lockstep lockstep = Lockstep.open(repo)) {
      // no event applied since this start: the online checkpoint still knows the newest one
      Map<String, Object> view = lockstep.online().freshness(newest + 9_000).get("card_life");
      assertThat(view).containsEntry("newest_event", java.time.Instant.ofEpochMilli(newest).toString())
          .containsEntry("freshness_lag_ms", 9_000L);
    }
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI base, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

}
