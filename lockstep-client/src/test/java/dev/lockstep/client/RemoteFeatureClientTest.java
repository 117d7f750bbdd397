package dev.lockstep.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.RequestTooLargeException;
import dev.lockstep.api.client.ServiceUnavailableException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.UnknownNameException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against canned answers of a stand-in server (the JDK's HttpServer), including answers
 * a Lockstep server never gives. The round trip with the real server is tested in lockstep-server.
 */
class RemoteFeatureClientTest {
  private HttpServer server;
  private final AtomicReference<Canned> answer = new AtomicReference<>();
  private final List<String> requests = new ArrayList<>();
  private RemoteFeatureClient client;

  private record Canned(int status, String contentType, String body, java.util.Map<String, String> headers) {
    Canned(int status, String contentType, String body) {
      this(status, contentType, body, java.util.Map.of());
    }
  }

  @BeforeEach
  void start() throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] request = exchange.getRequestBody().readAllBytes();
      synchronized (requests) {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
            + exchange.getRequestHeaders().getFirst("Content-Type") + " " + new String(request, StandardCharsets.UTF_8));
      }
      Canned canned = answer.get();
      byte[] body = canned.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", canned.contentType());
      canned.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(canned.status(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    client = RemoteFeatureClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private void answer(int status, String body) {
    answer.set(new Canned(status, "application/json", body));
  }

  @Test
  void writesTheRequestAndReadsTheVectorWithItsTypes() {
    answer(200, "{\"entity\":{\"card_id\":\"c-1\",\"n\":5},\"t\":\"2026-11-21T10:00:00.123Z\",\"extra\":{\"x\":[1]},"
        + "\"values\":{\"a\":3,\"b\":3.0,\"c\":\"s\",\"d\":[1,2.5,null,\"x\"],\"e\":null,\"f\":-0.0,\"g\":1E300},"
        + "\"statuses\":{\"a\":\"PRESENT\",\"b\":\"STALE\",\"c\":\"EXPIRED\",\"d\":\"PRESENT\",\"e\":\"NO_DATA\","
        + "\"f\":\"PRESENT\",\"g\":\"PRESENT\"}}");
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("amount", 12.5);
    context.put("at", Instant.parse("2026-11-21T10:00:00Z"));
    context.put("note", null);

    FeatureVector vector = client.features(
        FeatureRequest.forService("fraud_model", Map.of("card_id", "c-1")).withContext(context));

    assertThat(requests).containsExactly("POST /v1/features application/json "
        + "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c-1\"},"
        + "\"context\":{\"amount\":12.5,\"at\":\"2026-11-21T10:00:00.000Z\",\"note\":null}}");
    assertThat(vector.entity()).containsExactly(Map.entry("card_id", "c-1"), Map.entry("n", 5L));
    assertThat(vector.t()).isEqualTo(Instant.parse("2026-11-21T10:00:00.123Z"));
    assertThat(vector.names()).containsExactly("a", "b", "c", "d", "e", "f", "g");
    assertThat(vector.value("a")).isEqualTo(3L);
    assertThat(vector.value("b")).isEqualTo(3.0);
    assertThat(vector.value("c")).isEqualTo("s");
    assertThat(vector.value("d")).isEqualTo(java.util.Arrays.asList(1L, 2.5, null, "x"));
    assertThat(vector.value("e")).isNull();
    assertThat(Double.doubleToRawLongBits((Double) vector.value("f"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(vector.value("g")).isEqualTo(1e300);
    assertThat(vector.statuses().values()).containsExactly(FeatureStatus.PRESENT, FeatureStatus.STALE,
        FeatureStatus.EXPIRED, FeatureStatus.PRESENT, FeatureStatus.NO_DATA, FeatureStatus.PRESENT, FeatureStatus.PRESENT);
  }

  @Test
  void writesBatchesAndPushes() {
    answer(200, "{\"t\":\"2026-11-21T10:00:00Z\",\"vectors\":[{\"entity\":{\"card_id\":\"b\"},\"t\":\"2026-11-21T10:00:00Z\","
        + "\"values\":{},\"statuses\":{}},{\"entity\":{\"card_id\":\"a\"},\"t\":\"2026-11-21T10:00:00Z\","
        + "\"values\":{},\"statuses\":{}}]}");
    List<FeatureVector> vectors = client.features(new BatchFeatureRequest(java.util.Optional.empty(),
        List.of("card_txn:txn_count_5m"), List.of(Map.of("card_id", "b"), Map.of("card_id", "a")), Map.of()));
    assertThat(vectors).extracting(vector -> vector.entity().get("card_id")).containsExactly("b", "a");

    answer(200, "{\"accepted\":1,\"rejected\":[{\"index\":1,\"reason\":\"column 'amount': 'x' is not a double\"}]}");
    PushResult result = client.push("pay ments", List.of(Map.of("amount", 1L), Map.of("amount", "x")));
    assertThat(result).isEqualTo(new PushResult(1, List.of(
        new PushResult.Rejection(1, "column 'amount': 'x' is not a double"))));

    assertThat(requests).containsExactly(
        "POST /v1/features application/json {\"features\":[\"card_txn:txn_count_5m\"],"
            + "\"entities\":[{\"card_id\":\"b\"},{\"card_id\":\"a\"}]}",
        "POST /v1/push/pay%20ments application/json [{\"amount\":1},{\"amount\":\"x\"}]");
  }

  @Test
  void mapsErrorStatusesToExceptions() {
    FeatureRequest request = FeatureRequest.forService("fraud_model", Map.of("card_id", "c"));
    answer(404, "{\"error\":\"Cannot get features: no feature service 'fraud_model'\",\"status\":404}");
    assertThatThrownBy(() -> client.features(request)).isExactlyInstanceOf(UnknownNameException.class)
        .hasMessage("Cannot get features: no feature service 'fraud_model'");
    answer(400, "{\"status\":400,\"error\":\"Cannot read the request: field 'entity' is missing\"}");
    assertThatThrownBy(() -> client.features(request)).isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessage("Cannot read the request: field 'entity' is missing");
    answer(413, "{\"error\":\"Cannot read the request: the body is larger than 16 MiB\",\"status\":413}");
    assertThatThrownBy(() -> client.push("payments", List.of())).isExactlyInstanceOf(RequestTooLargeException.class)
        .hasMessage("Cannot read the request: the body is larger than 16 MiB");
    answer.set(new Canned(503, "application/json", "{\"error\":\"Cannot serve the request: 64 requests are in"
        + " flight\",\"status\":503}", java.util.Map.of("Retry-After", "3")));
    assertThatThrownBy(() -> client.features(request)).isExactlyInstanceOf(ServiceUnavailableException.class)
        .hasMessage("Cannot serve the request: 64 requests are in flight")
        .extracting(e -> ((ServiceUnavailableException) e).retryAfter()).isEqualTo(java.time.Duration.ofSeconds(3));
    answer.set(new Canned(502, "text/html", "<html>\n<body>Bad gateway</body></html>"));
    assertThatThrownBy(() -> client.features(request)).isExactlyInstanceOf(LockstepException.class)
        .hasMessage("Cannot get features: server answered 502: <html>");
    answer.set(new Canned(500, "text/plain", ""));
    assertThatThrownBy(() -> client.features(request)).isExactlyInstanceOf(LockstepException.class)
        .hasMessage("Cannot get features: server answered 500: (no message)");
  }

  @Test
  void saysWhenAnAnswerCannotBeRead() {
    answer(200, "{\"values\":{}}");
    assertThatThrownBy(() -> client.features(FeatureRequest.forService("s", Map.of("k", "v"))))
        .isExactlyInstanceOf(LockstepException.class)
        .hasMessage("Cannot get features: the server's answer is not what this client reads "
            + "(a vector has no 't'; are client and server the same version?)");
    answer(200, "{\"t\":\"2026-11-21T10:00:00Z\",\"statuses\":{\"a\":\"FRESH\"}}");
    assertThatThrownBy(() -> client.features(FeatureRequest.forService("s", Map.of("k", "v"))))
        .hasMessageContaining("unknown feature status 'FRESH'");
    answer(200, "not json");
    assertThatThrownBy(() -> client.push("payments", List.of())).isExactlyInstanceOf(LockstepException.class)
        .hasMessageStartingWith("Cannot push events to 'payments': the server's answer is not what this client reads (");
  }

  @Test
  void refusesValuesJsonCannotCarry() {
    // a non-finite double travels as a bare token and is judged by the server, as the embedded
    // client judges it; a type JSON has no form for is refused before sending
    assertThatThrownBy(() -> client.push("payments", List.of(Map.of("day", java.time.LocalDate.of(2026, 1, 1)))))
        .isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessage("Cannot send event 0: it holds a LocalDate (send numbers, strings, booleans, instants, lists or maps)");
    assertThat(requests).isEmpty();
  }

  @Test
  void checksItsSettings() {
    assertThatThrownBy(() -> RemoteFeatureClient.connect(URI.create("ftp://host/")))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot connect to 'ftp://host/': give the server's http URI, e.g. http://127.0.0.1:6566");
    assertThatThrownBy(() -> RemoteFeatureClient.builder(URI.create("http://h:1")).requestTimeout(Duration.ZERO))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use a request timeout of PT0S: give a positive duration");
    assertThat(RemoteFeatureClient.DEFAULT_CONNECT_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
    assertThat(RemoteFeatureClient.DEFAULT_REQUEST_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void keepsABasePath() {
    answer(200, "{\"accepted\":0,\"rejected\":[]}");
    RemoteFeatureClient prefixed = RemoteFeatureClient.connect(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/lockstep"));

    prefixed.push("payments", List.of());

    assertThat(requests).containsExactly("POST /lockstep/v1/push/payments application/json []");
  }
}
