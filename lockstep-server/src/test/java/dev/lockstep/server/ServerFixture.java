package dev.lockstep.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.core.config.LimitsConfig;
import dev.lockstep.registry.RegistryDocument;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A server on an ephemeral port over a {@link FakeFeatureClient}, with settable registry and health. */
final class ServerFixture implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  final FakeFeatureClient client = new FakeFeatureClient();
  final AtomicReference<Optional<RegistryDocument>> registry =
      new AtomicReference<>(Optional.of(TestRegistry.fraud(3)));
  final AtomicReference<Supplier<Map<String, Object>>> health = new AtomicReference<>(ServerFixture::healthy);
  final LockstepServer server;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ServerFixture() {
    this(LimitsConfig.defaults());
  }

  /** A server with these limits. */
  ServerFixture(LimitsConfig limits) {
    server = LockstepServer.builder()
        .port(0)
        .limits(limits)
        .featureClient(client)
        .registry(() -> registry.get())
        .health(() -> health.get().get())
        .meterBinder(meters -> Gauge.builder("test.answer", () -> 42).register(meters))
        .build()
        .start();
  }

  static Map<String, Object> healthy() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("up", true);
    details.put("registry_version", 3L);
    details.put("online_store", Map.of("lag_ms", 12L));
    return details;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  HttpResponse<String> post(String path, String body) {
    return post(path, body, "application/json");
  }

  HttpResponse<String> post(String path, String body, String contentType) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), contentType);
  }

  HttpResponse<String> post(String path, byte[] body, String contentType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
