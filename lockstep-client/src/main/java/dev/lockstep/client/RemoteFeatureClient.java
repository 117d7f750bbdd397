package dev.lockstep.client;

import dev.lockstep.wire.WireJson;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.RequestTooLargeException;
import dev.lockstep.api.client.ServiceUnavailableException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.UnknownNameException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link FeatureClient} of a Lockstep server, over HTTP/1.1 with keep-alive (the JDK's {@link
 * HttpClient}). It answers as the embedded client does: vectors with Long, Double, String, List and
 * null values and their statuses, and the same exceptions with the server's message: {@link
 * UnknownNameException} for a 404, {@link InvalidRequestException} for a 400, {@link
 * RequestTooLargeException} for a 413, {@link ServiceUnavailableException} for a 503 or 429 (with the
 * server's {@code Retry-After}), and a {@link
 * LockstepException} {@code "Cannot <do X>: server answered <status>: <message>"} otherwise.
 *
 * <pre>{@code
 * try (FeatureClient client = RemoteFeatureClient.connect(URI.create("http://127.0.0.1:6566"))) {
 *   FeatureVector vector = client.features(FeatureRequest.forService("fraud_model", Map.of("card_id", "c-17")));
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one instance, its connections are pooled. An integer entity value comes
 * back as a Long, whatever integer type was sent.
 */
public final class RemoteFeatureClient implements FeatureClient {
  /** How long to wait for a connection unless told otherwise. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** How long to wait for an answer unless told otherwise. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI baseUri;
  private final String base;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final URI featuresUri;
  private volatile boolean closed;
  private final String credentialHeader;
  private final String credential;

  private RemoteFeatureClient(Builder builder) {
    this.baseUri = builder.baseUri;
    String text = builder.baseUri.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.requestTimeout = builder.requestTimeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(builder.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.featuresUri = URI.create(base + "/v1/features");
    this.credentialHeader = builder.credentialHeader;
    this.credential = builder.credential;
  }

  /** A client of the server at {@code baseUri} (e.g. {@code http://127.0.0.1:6566}) with default timeouts. */
  public static RemoteFeatureClient connect(URI baseUri) {
    return builder(baseUri).build();
  }

  /** A builder for a client of the server at {@code baseUri}. */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  @Override
  public FeatureVector features(FeatureRequest request) {
    String operation = "get features";
    byte[] body = call(operation, post(featuresUri, WireJson.request(request), "application/json"));
    try {
      return WireJson.readVector(body);
    } catch (IOException e) {
      throw unreadable(operation, e);
    }
  }

  @Override
  public List<FeatureVector> features(BatchFeatureRequest request) {
    String operation = "get features";
    byte[] body = call(operation, post(featuresUri, WireJson.request(request), "application/json"));
    try {
      return WireJson.readVectors(body);
    } catch (IOException e) {
      throw unreadable(operation, e);
    }
  }

  @Override
  public PushResult push(String source, List<Map<String, Object>> events) {
    Objects.requireNonNull(source, "source");
    String operation = "push events to '" + source + "'";
    URI uri = URI.create(base + "/v1/push/" + URLEncoder.encode(source, StandardCharsets.UTF_8).replace("+", "%20"));
    byte[] body = call(operation, post(uri, WireJson.events(events), "application/json"));
    try {
      return WireJson.readPushResult(body);
    } catch (IOException e) {
      throw unreadable(operation, e);
    }
  }

  /** Stops accepting calls. The JDK's HttpClient on Java 17 has no close: idle connections expire on their own. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "RemoteFeatureClient[" + baseUri + "]";
  }

  private HttpRequest post(URI uri, byte[] body, String contentType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Content-Type", contentType)
        .header("Accept", "application/json");
    if (credential != null) {
      request.header(credentialHeader, credential);
    }
    return request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** Sends {@code request}; the body of a 200, or the matching exception. */
  private byte[] call(String operation, HttpRequest request) {
    if (closed) {
      throw new IllegalStateException("Cannot " + operation + ": the client is closed");
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw new LockstepException("Cannot reach the Lockstep server at " + baseUri + ": no connection within "
          + seconds(http.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT)) + " (is the host reachable?)", e);
    } catch (HttpTimeoutException e) {
      throw new LockstepException("Cannot " + operation + ": the server at " + baseUri + " did not answer within "
          + seconds(requestTimeout) + " (raise the client's request timeout, or check the server's load)", e);
    } catch (ConnectException e) {
      // the JDK reports a refused connection with no message
      String reason = e.getMessage() == null || e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused")
          ? "connection refused" : e.getMessage();
      throw new LockstepException("Cannot reach the Lockstep server at " + baseUri
          + ": " + reason + " (is `lockstep serve` running?)", e);
    } catch (IOException e) {
      throw new LockstepException("Cannot " + operation + ": the connection to " + baseUri + " failed ("
          + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockstepException("Cannot " + operation + ": interrupted while waiting for " + baseUri, e);
    }
    int status = response.statusCode();
    if (status == 200) {
      return response.body();
    }
    String message = WireJson.errorMessage(response.body());
    if (status == 401) {
      throw new dev.lockstep.api.client.UnauthenticatedException(message);
    }
    if (status == 404) {
      throw new UnknownNameException(message);
    }
    if (status == 400) {
      throw new InvalidRequestException(message);
    }
    if (status == 413) {
      throw new RequestTooLargeException(message);
    }
    if (status == 503 || status == 429) {
      long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
      throw new ServiceUnavailableException(message, Duration.ofSeconds(Math.max(1, seconds)));
    }
    throw new LockstepException("Cannot " + operation + ": server answered " + status + ": " + message);
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  /** Configures a {@link RemoteFeatureClient}; every setter returns this builder. */
  public static final class Builder {
    private final URI baseUri;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private String credentialHeader;
    private String credential;

    private Builder(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      String scheme = baseUri.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || baseUri.getHost() == null) {
        throw new IllegalArgumentException("Cannot connect to '" + baseUri
            + "': give the server's http URI, e.g. http://127.0.0.1:6566");
      }
      this.baseUri = baseUri;
    }

    /** How long to wait for a TCP connection (default 2 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connect timeout");
      return this;
    }

    /** How long to wait for each answer, from sending the request (default 10 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "request timeout");
      return this;
    }

    /** Sends {@code key} as {@code X-API-Key} with every request (a server with {@code auth:} needs it). */
    public Builder apiKey(String key) {
      return credential("X-API-Key", key);
    }

    /** Sends {@code token} (a JWT) as {@code Authorization: Bearer} with every request. */
    public Builder bearerToken(String token) {
      return credential("Authorization", "Bearer " + Objects.requireNonNull(token, "token"));
    }

    private Builder credential(String header, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("Cannot send an empty credential in " + header);
      }
      this.credentialHeader = header;
      this.credential = value;
      return this;
    }

    public RemoteFeatureClient build() {
      return new RemoteFeatureClient(this);
    }

    private static Duration positive(Duration duration, String what) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("Cannot use a " + what + " of " + duration + ": give a positive duration");
      }
      return duration;
    }
  }

  /** A client-side failure to read the server's answer, with what was being done. */
  private static LockstepException unreadable(String operation, java.io.IOException e) {
    return new LockstepException("Cannot " + operation + ": the server's answer is not what this client reads ("
        + e.getMessage() + "; are client and server the same version?)", e);
  }
}
