package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.UnauthenticatedException;
import dev.lockstep.client.RemoteFeatureClient;
import dev.lockstep.core.config.AuthConfig;
import dev.lockstep.governance.Authenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * With an authenticator, every route but {@code /health} answers 401 to a request without valid
 * credentials, whatever it would do otherwise; without one, the server refuses to listen beyond
 * loopback.
 */
class AuthenticationTest {
  private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!!";
  private static final String KEY = "lsk_test-key-for-the-route-matrix";

  @Test
  void everyRouteButHealthNeedsAValidKeyOrToken() throws Exception {
    Authenticator authenticator = Authenticator.of(new AuthConfig(
        List.of(new AuthConfig.ApiKey("tests", Authenticator.sha256(KEY), List.of("reader"))),
        Optional.of(new AuthConfig.Jwt(Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), "roles"))));
    FakeFeatureClient client = new FakeFeatureClient();
    try (LockstepServer server = LockstepServer.builder().port(0).featureClient(client).authenticator(authenticator)
        .build().start()) {
      HttpClient http = HttpClient.newHttpClient();
      Map<String, List<String>> credentials = new LinkedHashMap<>();
      credentials.put("none", List.of());
      credentials.put("wrong key", List.of("X-API-Key", KEY + "-wrong"));
      credentials.put("expired token", List.of("Authorization", "Bearer " + token(Instant.now().minusSeconds(120))));
      credentials.put("forged token", List.of("Authorization", "Bearer " + token(Instant.now().plusSeconds(600))
          .replaceAll(".$", "A")));
      credentials.put("key", List.of("X-API-Key", KEY));
      credentials.put("token", List.of("Authorization", "Bearer " + token(Instant.now().plusSeconds(600))));
      List<String> unexpected = new ArrayList<>();
      int checked = 0;
      for (Route route : Route.values()) {
        if (route == Route.UNMATCHED) {
          continue;
        }
        String path = route.template().replaceAll("\\{[a-z]+}", "payments");
        for (var credential : credentials.entrySet()) {
          HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
              .header("Content-Type", "application/json");
          if (!credential.getValue().isEmpty()) {
            request.header(credential.getValue().get(0), credential.getValue().get(1));
          }
          request.method(route.method(), route.method().equals("POST")
              ? HttpRequest.BodyPublishers.ofString("{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c\"}}")
              : HttpRequest.BodyPublishers.noBody());
          HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
          boolean valid = credential.getKey().equals("key") || credential.getKey().equals("token");
          boolean allowed = response.statusCode() != 401;
          if (allowed != (valid || route == Route.HEALTH)) {
            unexpected.add(route + " with " + credential.getKey() + ": " + response.statusCode() + " " + response.body());
          }
          if (!allowed) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"lockstep\"");
            assertThat(ServerFixture.json(response).get("error").asText()).startsWith("Cannot authenticate: ");
          }
          checked++;
        }
      }
      assertThat(unexpected).isEmpty();
      assertThat(checked).isEqualTo((Route.values().length - 1) * credentials.size());

      URI uri = URI.create("http://127.0.0.1:" + server.port());
      try (FeatureClient anonymous = RemoteFeatureClient.connect(uri);
          FeatureClient withKey = RemoteFeatureClient.builder(uri).apiKey(KEY).build();
          FeatureClient withToken = RemoteFeatureClient.builder(uri).bearerToken(token(Instant.now().plusSeconds(60)))
              .build()) {
        FeatureRequest request = FeatureRequest.forService("fraud_model", Map.of("card_id", "c-1"));
        assertThatThrownBy(() -> anonymous.features(request)).isExactlyInstanceOf(UnauthenticatedException.class)
            .hasMessageContaining("carries no credentials");
        assertThat(withKey.features(request).entity()).isEqualTo(Map.of("card_id", "c-1"));
        assertThat(withToken.features(request).entity()).isEqualTo(Map.of("card_id", "c-1"));
      }
    }
  }

  @Test
  void aCallerBeyondItsRateIsAnswered429WhileOthersGoOn() throws Exception {
    Authenticator authenticator = Authenticator.of(new AuthConfig(List.of(
        new AuthConfig.ApiKey("busy", Authenticator.sha256(KEY), List.of()),
        new AuthConfig.ApiKey("calm", Authenticator.sha256(KEY + "-calm"), List.of())), Optional.empty()));
    dev.lockstep.core.config.LimitsConfig defaults = dev.lockstep.core.config.LimitsConfig.defaults();
    dev.lockstep.core.config.LimitsConfig limits = new dev.lockstep.core.config.LimitsConfig(defaults.maxBatchEntities(),
        defaults.maxPushEvents(), defaults.maxBodyBytes(), defaults.maxResponseBytes(), defaults.maxInFlightRequests(),
        defaults.maxConnectionsPerAddress(), defaults.maxUnappliedEvents(), defaults.maxApplyLag(),
        defaults.readTimeout(), 5);
    try (LockstepServer server = LockstepServer.builder().port(0).featureClient(new FakeFeatureClient())
        .authenticator(authenticator).limits(limits).build().start()) {
      HttpClient http = HttpClient.newHttpClient();
      URI registry = URI.create("http://127.0.0.1:" + server.port() + "/v1/registry");
      int refused = 0;
      long started = System.nanoTime();
      for (int i = 0; i < 15; i++) {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(registry).header("X-API-Key", KEY).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 429) {
          refused++;
          assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
          assertThat(ServerFixture.json(response).get("error").asText())
              .isEqualTo("Cannot serve the request: busy sent more than 5 requests in a second, the most one caller"
                  + " may (slow down)");
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      // a burst of 5, then 5 a second: at most 5 + 5 * seconds of the 15 pass
      assertThat(refused).isGreaterThanOrEqualTo(15 - 5 - (int) Math.ceil(5 * seconds));
      assertThat(http.send(HttpRequest.newBuilder(registry).header("X-API-Key", KEY + "-calm").build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isNotEqualTo(429);
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutAuthenticationTheServerListensOnLoopbackOnly() {
    assertThat(LockstepServer.loopback("127.0.0.1")).isTrue();
    assertThat(LockstepServer.loopback("localhost")).isTrue();
    assertThat(LockstepServer.loopback("::1")).isTrue();
    assertThat(LockstepServer.loopback("0.0.0.0")).isFalse();
    assertThatThrownBy(() -> LockstepServer.builder().host("0.0.0.0").port(0).featureClient(new FakeFeatureClient())
        .build().start())
        .isInstanceOf(LockstepException.class)
        .hasMessage("Cannot listen on 0.0.0.0 without authentication: anyone who reaches it could push data and read"
            + " every feature (configure auth: in lockstep.yaml, see docs/security.md, or listen on 127.0.0.1)");
    Authenticator authenticator = Authenticator.of(new AuthConfig(
        List.of(new AuthConfig.ApiKey("tests", Authenticator.sha256(KEY), List.of())), Optional.empty()));
    try (LockstepServer server = LockstepServer.builder().host("0.0.0.0").port(0).featureClient(new FakeFeatureClient())
        .authenticator(authenticator).build().start()) {
      assertThat(server.port()).isPositive();
    }
  }

  private static String token(Instant expiry) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("ana")
        .expirationTime(Date.from(expiry)).claim("roles", List.of("reader")).build());
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
