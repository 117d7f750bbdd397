package dev.lockstep.server;

import static dev.lockstep.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint through raw HTTP: statuses, headers and JSON bodies. */
class HttpApiTest {
  private static ServerFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @AfterEach
  void reset() {
    fixture.registry.set(Optional.of(TestRegistry.fraud(3)));
    fixture.health.set(ServerFixture::healthy);
    fixture.client.requests.clear();
    fixture.client.pushes.clear();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = json(response);
    assertThat(fieldNames(body)).containsExactly("error", "status");
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("error").asText()).isEqualTo(message);
  }

  private static String errorOf(HttpResponse<String> response) {
    return json(response).get("error").asText();
  }

  // ---- features

  @Test
  void servesOneEntityOfAService() {
    HttpResponse<String> response = fixture.post("/v1/features",
        "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c-1\"},\"context\":{\"amount\":12.5}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.headers().firstValue("Content-Length")).contains(
        Integer.toString(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    JsonNode body = json(response);
    assertThat(fieldNames(body)).containsExactly("entity", "t", "values", "statuses");
    assertThat(body.get("entity").toString()).isEqualTo("{\"card_id\":\"c-1\"}");
    assertThat(body.get("t").asText()).isEqualTo("2026-11-21T10:00:00.123Z");
    FeatureRequest expected = new FeatureRequest(Optional.of("fraud_model"), List.of(), Map.of("card_id", "c-1"),
        Map.of("amount", 12.5));
    assertThat(fixture.client.requests).containsExactly(expected);
    List<String> columns = FakeFeatureClient.vector(expected).names();
    assertThat(fieldNames(body.get("values"))).containsExactlyElementsOf(columns);
    assertThat(fieldNames(body.get("statuses"))).containsExactlyElementsOf(columns);
    // Long stays integral, Double keeps a fraction or exponent, order and statuses as the vector has them
    assertThat(response.body()).contains("\"card_txn__amount_max_30d\":3.0", "\"request__amount\":12.5",
        "\"card_ratios__spend_ratio_7d_30d\":null", "\"card_ratios__spend_ratio_7d_30d\":\"NO_DATA\"",
        "\"card_txn__last_amounts\":[1,2.5,\"x\",[3,-0.0]]");
    int n = Math.floorMod("c-1".hashCode(), 1000);
    assertThat(response.body()).contains("\"card_txn__txn_count_5m\":" + n + ",");
  }

  @Test
  void servesAListOfFeatures() {
    HttpResponse<String> response = fixture.post("/v1/features",
        "{\"features\":[\"card_txn:txn_count_5m\",\"card_txn:last_merchant@v1\"],\"entity\":{\"card_id\":\"c-1\"}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"entity\":{\"card_id\":\"c-1\"},\"t\":\"2026-11-21T10:00:00.123Z\","
        + "\"values\":{\"card_txn__txn_count_5m\":12,\"card_txn__last_merchant\":13},"
        + "\"statuses\":{\"card_txn__txn_count_5m\":\"PRESENT\",\"card_txn__last_merchant\":\"PRESENT\"}}");
  }

  @Test
  void servesABatchInRequestOrder() {
    HttpResponse<String> response = fixture.post("/v1/features",
        "{\"service\":\"fraud_model\",\"entities\":[{\"card_id\":\"c-9\"},{\"card_id\":\"c-1\"},{\"card_id\":7}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(fieldNames(body)).containsExactly("t", "vectors");
    assertThat(body.get("t").asText()).isEqualTo("2026-11-21T10:00:00.123Z");
    assertThat(body.get("vectors")).extracting(vector -> vector.get("entity").toString())
        .containsExactly("{\"card_id\":\"c-9\"}", "{\"card_id\":\"c-1\"}", "{\"card_id\":7}");
    assertThat(fixture.client.requests).containsExactly(BatchFeatureRequest.forService("fraud_model",
        List.of(Map.of("card_id", "c-9"), Map.of("card_id", "c-1"), Map.of("card_id", 7L))));
  }

  @Test
  void ignoresUnknownFieldsAndNulls() {
    HttpResponse<String> response = fixture.post("/v1/features", "{\"version\":{\"deep\":[1,2,{\"x\":null}]},"
        + "\"service\":\"fraud_model\",\"features\":null,\"entity\":{\"card_id\":\"c-1\"},\"trace\":\"abc\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(fixture.client.requests).containsExactly(FeatureRequest.forService("fraud_model", Map.of("card_id", "c-1")));
  }

  @Test
  void mapsTheClientsExceptions() {
    assertError(fixture.post("/v1/features", "{\"service\":\"nope\",\"entity\":{\"card_id\":\"c-1\"}}"), 404,
        "Cannot get features: no feature service 'nope' (feature services: fraud_model)");
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{\"user\":\"u\"}}"), 400,
        "Cannot get features of service 'fraud_model': the entity lacks the join key 'card_id' (give {\"card_id\": ...})");
    assertError(fixture.post("/v1/features", "{\"service\":\"backend_down\",\"entity\":{\"card_id\":\"c-1\"}}"), 503,
        "Cannot read the online store on rocksdb: disk unavailable (check the data directory)");
  }

  @Test
  void answersUnexpectedFailuresWithAMessageAndNoTrace() {
    HttpResponse<String> response = fixture.post("/v1/features", "{\"service\":\"explode\",\"entity\":{\"card_id\":\"c\"}}");
    assertError(response, 500,
        "Cannot get features: internal error (IllegalStateException: boom; the server log has the details)");
    assertThat(response.body()).doesNotContain("at dev.lockstep");

    // a NaN (a sum past the double range is infinite) is sent as a bare token, never as null or a string
    HttpResponse<String> nan = fixture.post("/v1/features", "{\"service\":\"nan\",\"entity\":{\"card_id\":\"c\"}}");
    assertThat(nan.statusCode()).isEqualTo(200);
    assertThat(nan.body()).contains("\"card_txn__amount_mean_1h\":NaN");
  }

  @Test
  void namesTheFieldThatIsMissingOrMistyped() {
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\"}"), 400,
        "Cannot read the request: field 'entity' is missing (give the join keys, e.g. \"entity\": "
            + "{\"card_id\": \"c-17\"}, or 'entities' for a batch)");
    assertError(fixture.post("/v1/features", "{\"service\":5,\"entity\":{\"card_id\":\"c\"}}"), 400,
        "Cannot read the request: field 'service' must be a string, not a number");
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":[\"c\"]}"), 400,
        "Cannot read the request: field 'entity' must be an object of join keys such as {\"card_id\": \"c-17\"}, "
            + "not an array");
    assertError(fixture.post("/v1/features", "{\"features\":[\"card_txn:a\",3],\"entity\":{\"card_id\":\"c\"}}"), 400,
        "Cannot read the request: element 1 of field 'features' must be a string, not a number");
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entities\":[{\"card_id\":\"c\"},1]}"), 400,
        "Cannot read the request: element 1 of field 'entities' must be an object of join keys, not a number");
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entities\":[]}"), 400,
        "Cannot request features: the batch names no entity");
    assertError(fixture.post("/v1/features", "{\"entity\":{\"card_id\":\"c\"}}"), 400,
        "Cannot request features: name either a feature service or a list of features, not both or neither");
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c\"},"
            + "\"entities\":[{\"card_id\":\"c\"}]}"), 400,
        "Cannot read the request: it has both 'entity' and 'entities' (use 'entity' for one entity, 'entities' for a batch)");
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{}}"), 400,
        "Cannot request features: the entity has no join keys (e.g. {\"card_id\": \"c-17\"})");
  }

  @Test
  void passesNumbersBeyondLongAndDoubleOnExactlyForTheFeatureClientToJudge() {
    // the wire's one number rule: nothing is refused or rounded when read; the feature client
    // judges a key or a request field the same way whether it came over HTTP or in process
    fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":123456789012345678901},"
        + "\"context\":{\"amount\":1e999}}");
    assertThat(fixture.client.requests).containsExactly(new FeatureRequest(java.util.Optional.of("fraud_model"),
        List.of(), Map.of("card_id", new java.math.BigInteger("123456789012345678901")),
        Map.of("amount", new java.math.BigDecimal("1e999"))));
  }

  @Test
  void refusesBodiesThatAreNotOneJsonObject() {
    assertError(fixture.post("/v1/features", ""), 400,
        "Cannot read the request: the body is empty (send a JSON object)");
    assertError(fixture.post("/v1/features", "[1,2]"), 400,
        "Cannot read the request: the body must be a JSON object, not an array");
    assertError(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c\"}} {}"), 400,
        "Cannot read the request: unexpected an object after the JSON object at line 1");
    HttpResponse<String> truncated = fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{\"card");
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(errorOf(truncated)).startsWith("Cannot read the request: invalid JSON at line 1, column ")
        .contains("end-of-input");
    HttpResponse<String> duplicate = fixture.post("/v1/features", "{\"service\":\"a\",\"service\":\"b\",\"entity\":{}}");
    assertThat(errorOf(duplicate)).contains("Duplicate field 'service'");
    HttpResponse<String> deep = fixture.post("/v1/features", "{\"context\":{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}}");
    assertThat(deep.statusCode()).isEqualTo(400);
    assertThat(errorOf(deep)).contains("nesting depth");
    HttpResponse<String> binary = fixture.post("/v1/features", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}, null);
    assertThat(binary.statusCode()).isEqualTo(400);
  }

  @Test
  void checksTheContentType() {
    assertError(fixture.post("/v1/features", "<xml/>", "application/xml"), 415,
        "Cannot read the request: content type application/xml is not supported "
            + "(send Content-Type: application/json, or application/x-ndjson to push; with curl: -H 'Content-Type:"
            + " application/json')");
    assertError(fixture.post("/v1/features", "{}", "application/json; charset=ISO-8859-1"), 415,
        "Cannot read the request: charset iso-8859-1 is not supported (send UTF-8)");
    String body = "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c\"}}";
    assertThat(fixture.post("/v1/features", body, "application/json; charset=UTF-8").statusCode()).isEqualTo(200);
    assertThat(fixture.post("/v1/features", body, null).statusCode()).isEqualTo(200);
    // what a web page may send to any site without a CORS preflight is refused
    for (String simple : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
      HttpResponse<String> refused = fixture.post("/v1/features", body, simple);
      assertThat(refused.statusCode()).as(simple).isEqualTo(415);
      assertThat(errorOf(refused)).contains("with curl: -H 'Content-Type: application/json'");
    }
  }

  @Test
  void refusesPostsFromWebPagesOfOtherSites() throws Exception {
    String body = "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c\"}}";
    HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri("/v1/features"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> crossSite = fixture.http.send(request.copy().header("Sec-Fetch-Site", "cross-site").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(errorOf(crossSite)).isEqualTo("Cannot get features: the request comes from a web page of another site"
        + " (Sec-Fetch-Site: cross-site), and this server takes no cross-site requests");
    HttpResponse<String> otherOrigin = fixture.http.send(request.copy().header("Origin", "https://evil.example").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(otherOrigin.statusCode()).isEqualTo(403);
    assertThat(errorOf(otherOrigin)).contains("(https://evil.example)");
    HttpResponse<String> sameOrigin = fixture.http.send(request.copy().header("Sec-Fetch-Site", "same-origin").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(sameOrigin.statusCode()).isEqualTo(200);
    HttpResponse<String> noBrowser = fixture.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noBrowser.statusCode()).isEqualTo(200);
  }

  // ---- routes and methods

  @Test
  void answersUnknownRoutesAndWrongMethodsInJson() {
    assertError(fixture.get("/v2/nothing"), 404, "Cannot GET /v2/nothing: no such route (routes: " + Route.summary() + ")");
    assertError(fixture.post("/v1/push/", "[]"), 404, "Cannot POST /v1/push/: no such route (routes: " + Route.summary() + ")");

    HttpResponse<String> get = fixture.get("/v1/features");
    assertError(get, 405, "Cannot GET /v1/features: the method is not allowed (use POST)");
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    HttpResponse<String> delete = fixture.send(HttpRequest.newBuilder(fixture.uri("/v1/registry")).DELETE().build());
    assertError(delete, 405, "Cannot DELETE /v1/registry: the method is not allowed (use GET)");
    assertThat(delete.headers().firstValue("Allow")).contains("GET");
  }

  // ---- push

  @Test
  void pushesAnArrayInOneCall() {
    HttpResponse<String> response = fixture.post("/v1/push/payments",
        "[{\"card_id\":\"c-1\",\"ts\":\"2026-11-21T10:00:00Z\",\"amount\":12.5,\"merchant\":\"m\",\"items\":2},"
            + "{\"card_id\":\"c-2\",\"ts\":1700000000000,\"amount\":\"abc\"},"
            + "{\"card_id\":\"c-3\",\"ts\":1700000000000,\"amount\":3,\"extra\":[true,null]}]");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(
        "{\"accepted\":2,\"rejected\":[{\"index\":1,\"reason\":\"column 'amount': 'abc' is not a double\"}]}");
    assertThat(fixture.client.pushes).hasSize(1);
    FakeFeatureClient.Push push = fixture.client.pushes.peek();
    assertThat(push.source()).isEqualTo("payments");
    assertThat(push.events()).hasSize(3);
    assertThat(push.events().get(0)).containsExactly(Map.entry("card_id", "c-1"),
        Map.entry("ts", "2026-11-21T10:00:00Z"), Map.entry("amount", 12.5), Map.entry("merchant", "m"),
        Map.entry("items", 2L));
    assertThat(push.events().get(1).get("ts")).isEqualTo(1_700_000_000_000L);
    assertThat(push.events().get(2).get("extra")).isEqualTo(java.util.Arrays.asList(true, null));
  }

  @Test
  void pushesOneObject() {
    HttpResponse<String> response = fixture.post("/v1/push/payments", "{\"card_id\":\"c-1\",\"amount\":1}");

    assertThat(response.body()).isEqualTo("{\"accepted\":1,\"rejected\":[]}");
    assertThat(fixture.client.pushes.peek().events()).containsExactly(Map.of("card_id", "c-1", "amount", 1L));
  }

  @Test
  void pushesNdjsonDeclaredOrRecognised() {
    String lines = "{\"card_id\":\"c-1\",\"amount\":1}\n{\"card_id\":\"c-2\",\"amount\":null}\n\n{\"card_id\":\"c-3\",\"amount\":2.5}\n";
    HttpResponse<String> declared = fixture.post("/v1/push/payments", lines, "application/x-ndjson");
    HttpResponse<String> recognised = fixture.post("/v1/push/payments", lines, "application/json");

    for (HttpResponse<String> response : List.of(declared, recognised)) {
      assertThat(response.body()).isEqualTo(
          "{\"accepted\":2,\"rejected\":[{\"index\":1,\"reason\":\"column 'amount': 'null' is not a double\"}]}");
    }
    assertThat(fixture.client.pushes).hasSize(2).allSatisfy(push -> assertThat(push.events()).hasSize(3));
    assertError(fixture.post("/v1/push/payments", "{\"amount\":1}\n[1]\n", "application/x-ndjson"), 400,
        "Cannot read the request: line 2 must be an event object, not an array");
    HttpResponse<String> truncated = fixture.post("/v1/push/payments", "{\"amount\":1}\n{\"amount\":\n", "application/x-ndjson");
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(errorOf(truncated)).startsWith("Cannot read the request: invalid JSON at line 3, column ");
    assertThat(fixture.client.pushes).hasSize(2);
  }

  @Test
  void refusesMalformedPushes() {
    assertError(fixture.post("/v1/push/payments", ""), 400,
        "Cannot read the request: the body is empty (send a JSON array of events, one event object, or one object per line)");
    assertError(fixture.post("/v1/push/payments", "[{\"amount\":1},2]"), 400,
        "Cannot read the request: element 1 of the array must be an event object, not a number");
    assertError(fixture.post("/v1/push/payments", "[{\"amount\":1}] [{}]"), 400,
        "Cannot read the request: unexpected an array after the JSON array at line 1");
    assertError(fixture.post("/v1/push/payments", "\"text\""), 400,
        "Cannot read the request: line 1 must be an event object, not a string");
    assertError(fixture.post("/v1/push/refunds", "[]"), 404,
        "Cannot push events: no source 'refunds' (sources: payments)");
    assertThat(fixture.client.pushes).isEmpty();
  }

  @Test
  void pushesAnEmptyArrayToTheClient() {
    assertThat(fixture.post("/v1/push/payments", "[ ]").body()).isEqualTo("{\"accepted\":0,\"rejected\":[]}");
    assertThat(fixture.client.pushes).containsExactly(new FakeFeatureClient.Push("payments", List.of()));
  }

  // ---- registry

  @Test
  void readsTheWholeRegistry() {
    HttpResponse<String> response = fixture.get("/v1/registry");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(fieldNames(body)).containsExactly("format", "version", "registry_version", "committed_at",
        "entities", "sources", "feature_views", "on_demand_views", "feature_services");
    assertThat(body.get("format").asText()).isEqualTo("lockstep.registry");
    assertThat(body.get("registry_version").asLong()).isEqualTo(3);
    assertThat(body.get("committed_at").asText()).isEqualTo("2026-11-20T08:30:00.000Z");
    assertThat(body.get("feature_services").get(0).get("features").get(0).asText()).isEqualTo("card_txn:txn_count_5m@v1");
  }

  @Test
  void readsOneKindAndOneDefinition() {
    JsonNode views = json(fixture.get("/v1/registry/feature-views"));
    assertThat(fieldNames(views)).containsExactly("registry_version", "committed_at", "feature_views");
    assertThat(views.get("feature_views")).extracting(view -> view.get("name").asText()).containsExactly("card_txn");

    for (String kind : List.of("entities", "sources", "feature-views", "feature-services", "on-demand-views")) {
      assertThat(fixture.get("/v1/registry/" + kind).statusCode()).as(kind).isEqualTo(200);
    }
    HttpResponse<String> source = fixture.get("/v1/registry/sources/payments");
    assertThat(source.statusCode()).isEqualTo(200);
    JsonNode payments = json(source);
    assertThat(payments.get("name").asText()).isEqualTo("payments");
    assertThat(payments.get("event_time").asText()).isEqualTo("ts");
    assertThat(json(fixture.get("/v1/registry/on-demand-views/card_ratios")).get("class").asText())
        .isEqualTo("dev.lockstep.cli.examples.SpendRatio");
    assertThat(json(fixture.get("/v1/registry/feature-services/fraud_model/")).get("name").asText())
        .isEqualTo("fraud_model");
  }

  @Test
  void answers404ForUnknownKindsNamesAndAnEmptyRegistry() {
    assertError(fixture.get("/v1/registry/tables"), 404, "Cannot read the registry: there is no kind 'tables' "
        + "(kinds: entities, sources, feature-views, feature-services, on-demand-views)");
    assertError(fixture.get("/v1/registry/feature-views/card"), 404,
        "Cannot read feature view 'card': registry version 3 has no such feature view (feature views: card_txn)");
    assertError(fixture.get("/v1/registry/a/b/c"), 404,
        "Cannot GET /v1/registry/a/b/c: no such route (routes: " + Route.summary() + ")");

    fixture.registry.set(Optional.empty());
    for (String path : List.of("/v1/registry", "/v1/registry/sources", "/v1/registry/sources/payments")) {
      assertError(fixture.get(path), 404, "Cannot read the registry: no definitions are applied yet (run `lockstep apply`)");
    }
  }

  @Test
  void followsTheRegistryToItsNextVersion() {
    assertThat(json(fixture.get("/v1/registry")).get("registry_version").asLong()).isEqualTo(3);
    fixture.registry.set(Optional.of(TestRegistry.fraud(4)));
    assertThat(json(fixture.get("/v1/registry")).get("registry_version").asLong()).isEqualTo(4);
  }

  // ---- health and metrics

  @Test
  void reportsHealth() {
    HttpResponse<String> up = fixture.get("/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"registry_version\":3,\"online_store\":{\"lag_ms\":12}}");

    fixture.health.set(() -> Map.of("up", false, "reason", "online store closed"));
    HttpResponse<String> down = fixture.get("/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"reason\":\"online store closed\"}");

    fixture.health.set(() -> {
      throw new IllegalStateException("no store");
    });
    HttpResponse<String> failing = fixture.get("/health");
    assertThat(failing.statusCode()).isEqualTo(503);
    assertThat(failing.body()).isEqualTo(
        "{\"status\":\"DOWN\",\"error\":\"Cannot check health: no store\"}");
  }

  @Test
  void exposesPrometheusMetrics() {
    fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c-1\"}}");
    fixture.get("/v1/nothing");
    fixture.get("/v1/features");

    HttpResponse<String> metrics = fixture.get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body())
        .contains("lockstep_http_requests_seconds_bucket{route=\"/v1/features\",status=\"200\",le=\"")
        .contains("lockstep_http_requests_seconds_count{route=\"/v1/features\",status=\"405\"}")
        .contains("lockstep_http_requests_seconds_count{route=\"unmatched\",status=\"404\"}")
        .contains("jvm_memory_used_bytes", "jvm_gc_", "process_uptime_seconds", "jvm_threads_live_threads")
        .contains("test_answer 42.0");
  }

  @Test
  void countsPushedEvents() {
    fixture.post("/v1/push/payments", "[{\"amount\":1},{\"amount\":\"x\"}]");

    assertThat(fixture.get("/metrics").body())
        .contains("lockstep_push_events_total{outcome=\"accepted\",source=\"payments\"}")
        .contains("lockstep_push_events_total{outcome=\"rejected\",source=\"payments\"}");
  }
}
