package dev.lockstep.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.LockstepException;
import java.io.IOException;
import dev.lockstep.io.IoReasons;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calls an operations route of a running {@code lockstep serve}, for commands given {@code --server URL}. */
final class ServerCall {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerCall() {}

  /**
   * Sends {@code method path} to {@code server} and reads the JSON object it answers.
   *
   * @throws LockstepException with the server's error, or if it cannot be reached
   */
  static Map<String, Object> call(URI server, String method, String path) {
    if (server.getHost() == null || !("http".equals(server.getScheme()) || "https".equals(server.getScheme()))) {
      throw new LockstepException("Cannot use the server address '" + server + "': write it as http://HOST:PORT"
          + " (e.g. http://127.0.0.1:6566)");
    }
    URI uri = server.resolve(path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LockstepException("Cannot reach the Lockstep server at " + server + ": "
          + (e instanceof java.net.ConnectException ? "connection refused" : IoReasons.of(e))
          + " (is lockstep serve running there?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockstepException("Cannot reach the Lockstep server at " + server + ": interrupted", e);
    }
    Map<String, Object> body;
    try {
      body = JSON.readValue(response.body(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new LockstepException("Cannot read the answer of " + uri + " (HTTP " + response.statusCode()
          + ", not a JSON object; is it a Lockstep server?)", e);
    }
    if (response.statusCode() != 200) {
      throw new LockstepException(String.valueOf(body.getOrDefault("error", "HTTP " + response.statusCode())));
    }
    return body;
  }

  /** {@code map} as indented JSON. */
  static String json(Object map) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(map);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
