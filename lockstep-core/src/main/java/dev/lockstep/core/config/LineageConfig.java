package dev.lockstep.core.config;

import dev.lockstep.spi.BackendConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where {@code lockstep.yaml}'s {@code lineage} setting sends OpenLineage run events: appended as
 * JSON lines to a file, or POSTed to an HTTP endpoint such as Marquez.
 *
 * <pre>{@code
 * lineage: {transport: file, path: lineage/events.jsonl}     # relative to the data directory
 * lineage:
 *   transport: http
 *   url: http://marquez:5000
 *   endpoint: /api/v1/lineage                               # the default
 *   api_key: ${MARQUEZ_KEY}                                 # never shown
 *   timeout_ms: 5000                                        # the default
 *   namespace: fraud-team                                   # default: lockstep
 * }</pre>
 *
 * @param transport how events travel
 * @param file the events file, absolute; set for {@link Transport#FILE} only
 * @param url the server's base URL; set for {@link Transport#HTTP} only
 * @param endpoint the path events are POSTed to, for {@link Transport#HTTP}
 * @param apiKey the bearer key sent with each POST, if any: a secret
 * @param timeoutMillis how long one POST may take before it is given up
 * @param namespace the OpenLineage namespace of Lockstep's jobs and of its offline tables and online
 *     views as datasets
 * @param secretKeys the settings whose values must never be shown: {@code api_key}, and every one
 *     filled from the environment
 */
public record LineageConfig(
    Transport transport,
    Optional<Path> file,
    Optional<URI> url,
    String endpoint,
    Optional<String> apiKey,
    int timeoutMillis,
    String namespace,
    Set<String> secretKeys) {

  public static final String TRANSPORT = "transport";
  public static final String PATH = "path";
  public static final String URL = "url";
  public static final String ENDPOINT = "endpoint";
  public static final String API_KEY = "api_key";
  public static final String TIMEOUT_MS = "timeout_ms";
  public static final String NAMESPACE = "namespace";

  /** Where a file transport writes when no {@code path} is given, in the data directory. */
  public static final String PATH_DEFAULT = "lineage/events.jsonl";
  /** Marquez's (and the OpenLineage HTTP spec's) endpoint. */
  public static final String ENDPOINT_DEFAULT = "/api/v1/lineage";
  public static final int TIMEOUT_MS_DEFAULT = 5_000;
  public static final String NAMESPACE_DEFAULT = "lockstep";

  /** How events travel. */
  public enum Transport {
    FILE,
    HTTP
  }

  public LineageConfig {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(namespace, "namespace");
    secretKeys = Set.copyOf(secretKeys);
  }

  /**
   * Where events go, safe to print: the file, or the URL unless it came from the environment, its
   * user information (a password in {@code http://user:secret@host}) masked.
   */
  public String destination() {
    if (transport == Transport.FILE) {
      return file.map(Path::toString).orElse("");
    }
    String shown = secretKeys.contains(URL) ? BackendConfig.MASK : url.map(LineageConfig::withoutUserInfo).orElse("");
    return shown + (secretKeys.contains(ENDPOINT) ? BackendConfig.MASK : endpoint);
  }

  /** {@code url} with its user information, if any, masked. */
  static String withoutUserInfo(URI url) {
    String text = url.toString();
    String userInfo = url.getRawUserInfo();
    return userInfo == null ? text : text.replace(userInfo + "@", BackendConfig.MASK + "@");
  }

  /** The settings with every secret masked: never shows the API key. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("lineage{transport=").append(transport.name().toLowerCase());
    text.append(", destination=").append(destination());
    apiKey.ifPresent(key -> text.append(", api_key=").append(BackendConfig.MASK));
    text.append(", namespace=").append(secretKeys.contains(NAMESPACE) ? BackendConfig.MASK : namespace);
    return text.append('}').toString();
  }
}
