package dev.lockstep.server;

import dev.lockstep.core.config.LimitsConfig;
import static dev.lockstep.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Garbage in never stops the server: each bad request gets a JSON error, and the server keeps answering. */
class BadInputTest {
  private static final List<String> PATHS = List.of("/v1/features", "/v1/push/payments", "/v1/push/x",
      "/v1/registry", "/v1/registry/sources", "/health", "/metrics", "/", "/v1/features/x");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-ndjson",
      "text/plain", "application/octet-stream", "application/json; charset=utf-16", "multipart/form-data");
  private static final List<String> FRAGMENTS = List.of("{", "}", "[", "]", ",", ":", "\"service\"", "\"entity\"",
      "\"entities\"", "\"features\"", "\"fraud_model\"", "\"card_id\"", "\"context\"", "null", "true", "1e999", "-0",
      "12345678901234567890123", "\"\\u0000\"", "\"\\ud800\"", "\n", " ", "NaN", "'x'", "\"é✓\"", "1.5", "[[[[");

  private static ServerFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void survivesABarrageOfGarbage() {
    Random random = new Random(20261121L);
    for (int i = 0; i < 200; i++) {
      // mostly the endpoints that read a body, with a JSON content type, so that the parsers get the garbage
      int dice = random.nextInt(10);
      String path = dice < 5 ? "/v1/features" : dice < 8 ? "/v1/push/payments" : PATHS.get(random.nextInt(PATHS.size()));
      byte[] body = garbage(random);
      HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(path));
      if (random.nextInt(10) == 0) {
        request.method(random.nextBoolean() ? "PUT" : "DELETE", HttpRequest.BodyPublishers.ofByteArray(body));
      } else {
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body));
      }
      int type = random.nextInt(10);
      if (type < 6) {
        request.header("Content-Type", "application/json");
      } else if (type < 9) {
        request.header("Content-Type", CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())));
      }
      HttpResponse<String> response = fixture.send(request.build());

      String what = "request " + i + " to " + path + ": " + response.body();
      assertThat(response.statusCode()).as(what).isIn(200, 400, 404, 405, 413, 415);
      if (response.statusCode() != 200) {
        JsonNode error = json(response);
        assertThat(error.get("status").asInt()).as(what).isEqualTo(response.statusCode());
        assertThat(error.get("error").asText()).as(what).isNotBlank().doesNotContain("\n");
      }
    }
    assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
  }

  private static byte[] garbage(Random random) {
    switch (random.nextInt(6)) {
      case 0: { // random bytes
        byte[] bytes = new byte[random.nextInt(2000)];
        random.nextBytes(bytes);
        return bytes;
      }
      case 1: { // JSON-ish tokens in random order
        StringBuilder text = new StringBuilder();
        int tokens = random.nextInt(60);
        for (int t = 0; t < tokens; t++) {
          text.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
      }
      case 2: { // a valid request, truncated
        String valid = "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":\"c-1\"},\"context\":{\"amount\":3.5}}";
        return valid.substring(0, random.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
      }
      case 3: { // deep nesting
        int depth = 50 + random.nextInt(20_000);
        return ("{\"context\":{\"a\":" + "[".repeat(depth) + "]".repeat(random.nextInt(depth)))
            .getBytes(StandardCharsets.UTF_8);
      }
      case 4: { // well-formed JSON of the wrong shape
        List<String> shapes = List.of("{\"service\":[1],\"entity\":{\"card_id\":\"c\"}}", "{\"entity\":\"c\"}",
            "{\"service\":\"fraud_model\",\"entity\":{\"card_id\":{\"x\":[true]}}}", "[{\"amount\":{}}]", "42",
            "\"text\"", "null", "{\"service\":\"fraud_model\",\"entities\":{}}", "{\"features\":[null]}");
        return shapes.get(random.nextInt(shapes.size())).getBytes(StandardCharsets.UTF_8);
      }
      default: { // a big string value
        return ("{\"service\":\"" + "x".repeat(random.nextInt(3_000_000)) + "\",\"entity\":{\"card_id\":1}}")
            .getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void answers413ToADeclaredLengthOverTheLimit() throws IOException {
    String response = raw("POST /v1/push/payments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (LimitsConfig.MAX_BODY_BYTES_DEFAULT + 1) + "\r\n\r\n[{\"amount\":1}", null);

    assertThat(response).startsWith("HTTP/1.1 413 ").contains(
        "{\"error\":\"Cannot push events to 'payments': the body is larger than 16 MiB (split the request into smaller"
            + " batches)\",\"status\":413}");
    assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void answers413ToAChunkedBodyOverTheLimit() throws IOException {
    int pushes = fixture.client.pushes.size();
    byte[] chunk = ("{\"amount\":1}\n".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
    String response = raw("POST /v1/push/payments HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n", out -> {
          // just past the limit, then wait for the answer: writing on after the server has closed
          // would make the peer reset the connection and drop the answer
          long sent = 0;
          while (sent <= LimitsConfig.MAX_BODY_BYTES_DEFAULT) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            sent += chunk.length;
          }
        });

    assertThat(response).startsWith("HTTP/1.1 413 ").contains("the body is larger than 16 MiB");
    assertThat(fixture.client.pushes.size()).isEqualTo(pushes);
    assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void acceptsABodyJustUnderTheLimit() {
    // long lines: fewer events than one push may hold
    String line = "{\"card_id\":\"c-1\",\"amount\":1.5,\"note\":\"" + "n".repeat(200) + "\"}\n";
    int lines = (int) ((LimitsConfig.MAX_BODY_BYTES_DEFAULT - 1) / line.length());
    HttpResponse<String> response = fixture.post("/v1/push/payments", line.repeat(lines), "application/x-ndjson");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"accepted\":" + lines + ",\"rejected\":[]}");
    fixture.client.pushes.clear();
  }

  @Test
  void survivesRequestsThatAreNotHttp() throws IOException {
    Random random = new Random(7);
    for (int i = 0; i < 10; i++) {
      byte[] junk = new byte[1 + random.nextInt(5000)];
      random.nextBytes(junk);
      try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(junk);
        socket.shutdownOutput();
        socket.getInputStream().readAllBytes();
      } catch (IOException e) {
        // the server may reset a connection that speaks no HTTP
      }
    }
    assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
  }

  /** Sends {@code head} (and whatever {@code rest} writes, ignoring a reset) on a fresh socket; the answer's text. */
  private static String raw(String head, BodyWriter rest) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.UTF_8));
      if (rest != null) {
        try {
          rest.write(out);
        } catch (IOException e) {
          // the server answered and closed before the body was sent: expected
        }
      }
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int read; (read = in.read(buffer)) >= 0; ) {
          answer.write(buffer, 0, read);
          if (answer.toString(StandardCharsets.UTF_8).contains("\"status\":")) {
            break;
          }
        }
      } catch (IOException e) {
        // a reset after the answer arrived
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  @FunctionalInterface
  private interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }
}
