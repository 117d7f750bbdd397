package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.config.LimitsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What one client can do to a server, scaled to a test: slow clients, a batch read too large, too
 * many requests or connections at once, pushes and answers too large. The server answers with a
 * clear status (413, 429, 503 with {@code Retry-After}), health stays answerable, and nothing
 * reaches the feature client that a limit refused.
 */
class ServerLimitsTest {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  /**
   * 50 clients send their headers and one byte of a 1000-byte body, then nothing; 10 more send half
   * their headers. Health, readiness and a feature read still answer within a second (the slow
   * clients hold no worker thread), and after the read timeout the server has cut every one.
   */
  @Test
  void slowClientsBlockNothingAndAreCutAfterTheReadTimeout() throws Exception {
    try (ServerFixture fixture = new ServerFixture(limits(10_000, 100_000, 64, 256, 64))) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          Socket socket = new Socket("127.0.0.1", fixture.server.port());
          socket.getOutputStream().write(("POST /v1/push/payments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 1000\r\n\r\n[").getBytes(StandardCharsets.US_ASCII));
          slow.add(socket);
        }
        for (int i = 0; i < 10; i++) {
          Socket socket = new Socket("127.0.0.1", fixture.server.port());
          socket.getOutputStream().write("GET /v1/registry HTTP/1.1\r\nHost: ".getBytes(StandardCharsets.US_ASCII));
          slow.add(socket);
        }
        long start = System.nanoTime();
        assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
        assertThat(fixture.get("/ready").statusCode()).isEqualTo(200);
        assertThat(fixture.post("/v1/features", "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c\"}}")
            .statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(fixture.client.pushes).isEmpty();

        for (Socket socket : slow) {
          socket.setSoTimeout((int) READ_TIMEOUT.multipliedBy(3).toMillis());
          InputStream in = socket.getInputStream();
          try {
            while (in.read() >= 0) {
              // whatever the server says before it closes (nothing, or a 408)
            }
          } catch (SocketTimeoutException e) {
            throw new AssertionError("a slow client was not cut within three read timeouts", e);
          } catch (IOException reset) {
            // cut: reset by the server
          }
        }
      } finally {
        for (Socket socket : slow) {
          socket.close();
        }
      }
      assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aBatchReadOverTheLimitIsRefusedBeforeAnythingIsServed() {
    try (ServerFixture fixture = new ServerFixture(limits(100, 100_000, 64, 256, 64))) {
      HttpResponse<String> refused = fixture.post("/v1/features", batch(101));
      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(ServerFixture.json(refused).get("error").asText()).isEqualTo("Cannot get features: the batch holds"
          + " more than 100 entities, the most one request may (split it into smaller batches)");
      assertThat(fixture.client.requests).isEmpty();
      assertThat(fixture.post("/v1/features", batch(100)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aPushOverTheLimitIsRefusedWhole() {
    try (ServerFixture fixture = new ServerFixture(limits(10_000, 10, 64, 256, 64))) {
      String event = "{\"card_id\":\"c\",\"amount\":1.0}";
      HttpResponse<String> refused = fixture.post("/v1/push/payments", "[" + (event + ",").repeat(10) + event + "]");
      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(ServerFixture.json(refused).get("error").asText()).isEqualTo("Cannot push events: the batch holds"
          + " more than 10 events, the most one push may (split it into smaller pushes)");
      assertThat(fixture.client.pushes).isEmpty();
      assertThat(fixture.post("/v1/push/payments", "[" + (event + ",").repeat(9) + event + "]").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void anAnswerOverTheLimitIsRefused() {
    LimitsConfig small = new LimitsConfig(100_000, 100_000, 16L << 20, 1L << 20, 64, 256, 1_000,
        java.time.Duration.ofSeconds(10), READ_TIMEOUT);
    try (ServerFixture fixture = new ServerFixture(small)) {
      HttpResponse<String> refused = fixture.post("/v1/features", batch(8_000));
      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(ServerFixture.json(refused).get("error").asText()).matches("Cannot get features: the answer is \\d+"
          + " MiB, more than the 1 MiB a response may hold \\(ask for fewer entities or features at a time\\)");
      assertThat(fixture.post("/v1/features", batch(100)).statusCode()).isEqualTo(200);
    }
  }

  /**
   * Four slow reads fill the server's four request slots: a fifth request is answered 503 with
   * {@code Retry-After: 1} at once, health still 200; when the four finish, requests are taken
   * again.
   */
  @Test
  void requestsBeyondTheInFlightLimitAreAnswered503WithRetryAfter() throws Exception {
    try (ServerFixture fixture = new ServerFixture(limits(10_000, 100_000, 4, 256, 64))) {
      List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        slow.add(fixture.http.sendAsync(HttpRequest.newBuilder(fixture.uri("/v1/features"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"slow\",\"entity\":{\"card_id\":\"c" + i + "\"}}"))
            .build(), HttpResponse.BodyHandlers.ofString()));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (inFlight(fixture) < 4) {
        assertThat(System.nanoTime()).as("four requests in flight").isLessThan(deadline);
        Thread.sleep(5);
      }
      HttpResponse<String> shed = fixture.post("/v1/features", batch(1));
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("Retry-After")).contains("1");
      assertThat(ServerFixture.json(shed).get("error").asText()).isEqualTo("Cannot serve the request: 4 requests are"
          + " in flight, the most this server takes at once (send it again in a second)");
      assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
      for (CompletableFuture<HttpResponse<String>> response : slow) {
        assertThat(response.get().statusCode()).isEqualTo(200);
      }
      assertThat(fixture.post("/v1/features", batch(1)).statusCode()).isEqualTo(200);
    }
  }

  /** One address holds at most three connections; a fourth is answered 429 and closed. */
  @Test
  void connectionsBeyondThePerAddressCapAreRefused() throws Exception {
    try (ServerFixture fixture = new ServerFixture(limits(10_000, 100_000, 64, 3, 64))) {
      List<Socket> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket socket = new Socket("127.0.0.1", fixture.server.port());
          open.add(socket);
          assertThat(exchange(socket)).startsWith("HTTP/1.1 200 ");
        }
        try (Socket fourth = new Socket("127.0.0.1", fixture.server.port())) {
          String refused = exchange(fourth);
          assertThat(refused).startsWith("HTTP/1.1 429 ").contains("Retry-After: 1").contains("Cannot serve the request:"
              + " this address has 3 connections open, the most one client may");
        }
        open.remove(0).close();
        Thread.sleep(200); // the server sees the close
        try (Socket again = new Socket("127.0.0.1", fixture.server.port())) {
          assertThat(exchange(again)).startsWith("HTTP/1.1 200 ");
        }
      } finally {
        for (Socket socket : open) {
          socket.close();
        }
      }
    }
  }

  /** One keep-alive GET of the registry on {@code socket}; the response head and body. */
  private static String exchange(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write("GET /v1/registry HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    Matcher length = Pattern.compile("(?i)Content-Length: (\\d+)").matcher(head);
    byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
    return head + new String(body, StandardCharsets.UTF_8);
  }

  private static int inFlight(ServerFixture fixture) {
    Matcher gauge = Pattern.compile("(?m)^lockstep_http_requests_in_flight(?:\\{[^}]*})? (\\S+)$")
        .matcher(fixture.get("/metrics").body());
    return gauge.find() ? (int) Double.parseDouble(gauge.group(1)) : -1;
  }

  private static String batch(int entities) {
    StringBuilder body = new StringBuilder("{\"service\":\"fraud_model\",\"entities\":[");
    for (int i = 0; i < entities; i++) {
      body.append(i == 0 ? "" : ",").append("{\"card_id\":\"c-").append(i).append("\"}");
    }
    return body.append("]}").toString();
  }

  private static LimitsConfig limits(int batchEntities, int pushEvents, int inFlight, int connections, int bodyMb) {
    return new LimitsConfig(batchEntities, pushEvents, (long) bodyMb << 20, 64L << 20, inFlight, connections,
        1_000, java.time.Duration.ofSeconds(10), READ_TIMEOUT);
  }
}
