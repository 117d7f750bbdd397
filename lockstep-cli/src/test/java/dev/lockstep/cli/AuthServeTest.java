package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Lockstep;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As a user sets it up: {@code lockstep auth new-key} prints a key and its lockstep.yaml entry;
 * {@code lockstep serve} on that project then answers 401 without the key and serves with it, the
 * CLI's {@code get --server --api-key} included; the YAML keeps only the digest.
 */
class AuthServeTest {
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double}
      feature_views:
        - name: card_life
          source: payments
          features:
            - {name: txn_count, aggregation: count, window: lifetime}
      feature_services:
        - name: scoring
          features: [card_life:txn_count]
      """;

  @TempDir Path repo;

  @Test
  void aKeyFromNewKeyOpensAServerConfiguredWithItsEntry() throws Exception {
    Cli.Result created = Cli.run("auth", "new-key", "--name", "scoring-app", "--role", "reader");
    assertThat(created.exitCode()).as(created.err()).isZero();
    Matcher key = Pattern.compile("key: (lsk_[A-Za-z0-9_-]+)").matcher(created.out());
    assertThat(key.find()).isTrue();
    String entry = created.out().lines().filter(line -> line.contains("sha256:")).findFirst().orElseThrow();
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    Files.writeString(repo.resolve("lockstep.yaml"), "auth:\n  api_keys:\n" + entry + "\n");
    assertThat(Files.readString(repo.resolve("lockstep.yaml"))).doesNotContain(key.group(1));

    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      try (ServeCommand.Serving serving = ServeCommand.Serving.start(lockstep, "127.0.0.1", 0, List.of())) {
        String base = "http://127.0.0.1:" + serving.port();
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"service\":\"scoring\",\"entity\":{\"card_id\":\"c1\"}}";
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/features"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> keyed = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/features"))
            .header("Content-Type", "application/json").header("X-API-Key", key.group(1))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        Cli.Result refused = Cli.run("get", "--server", base, "--service", "scoring", "-e", "card_id=c1");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("lockstep: Cannot authenticate: the request carries no credentials");
        Cli.Result served = Cli.run("get", "--server", base, "--service", "scoring", "-e", "card_id=c1",
            "--api-key", key.group(1));
        assertThat(served.exitCode()).as(served.err()).isZero();
        assertThat(served.out()).contains("card_life__txn_count");
        HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/push/payments"))
            .header("Content-Type", "application/json").header("X-API-Key", key.group(1)).header("X-Request-Id", "push-1")
            .POST(HttpRequest.BodyPublishers.ofString("{\"card_id\":\"c1\",\"ts\":1765000000000,\"amount\":1.5}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(pushed.headers().firstValue("X-Request-Id")).hasValue("push-1");
      }
    }
    // the server recorded the refused requests and the push, chained and signed
    Cli.Result verified = Cli.run("-C", repo.toString(), "audit", "verify");
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(verified.out()).matches("audit log verified: \\d+ entries, 2 signatures\\R");
    Cli.Result listed = Cli.run("-C", repo.toString(), "audit", "list");
    assertThat(listed.out()).containsPattern("anonymous +POST /v1/features +- +refused 401")
        .containsPattern("scoring-app +POST /v1/push/\\{source} +payments +ok 200 +push-1")
        .doesNotContain(key.group(1));
  }
}
