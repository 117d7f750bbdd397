package dev.lockstep.core.config;

import dev.lockstep.spi.BackendConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A project's {@code lockstep.yaml}: which backend plays each role, with its properties. Every role
 * is optional and defaults to the embedded backend in the data directory:
 *
 * <pre>{@code
 * offline: iceberg                 # Iceberg tables in .lockstep/warehouse
 * registry:                        # default: file, in .lockstep/registry
 *   backend: postgres
 *   url: jdbc:postgresql://db:5432/features
 *   user: lockstep
 *   password: ${PGPASSWORD}        # from the environment; never shown
 * online: redis                    # default: rocksdb, in .lockstep/online
 * event_log:                       # default: local, in .lockstep/log
 *   backend: kafka
 *   bootstrap.servers: ${KAFKA_BOOTSTRAP:-127.0.0.1:9092}
 * streams:                         # external feeds that sources' events arrive on
 *   payments: {backend: kafka, topic: payments}
 * monitoring: {drift_window: 1h}   # drift and parity settings, see MonitoringConfig
 * limits: {max_batch_entities: 10000}   # what one client may ask, see LimitsConfig
 * lineage:                         # OpenLineage run events; default: none
 *   {transport: file, path: lineage/events.jsonl}
 * }</pre>
 *
 * <p>A role is either a backend name or a map with {@code backend} and the backend's properties;
 * nested maps are flattened with dots ({@code kafka: {security.protocol: SSL}} is the property
 * {@code kafka.security.protocol}). {@code ${NAME}} in a value is replaced by the environment
 * variable {@code NAME} ({@code ${NAME:-default}} when it may be unset), and such properties are
 * treated as secret. Relative paths of embedded backends are resolved against the repository.
 * {@code lineage} is described by {@link LineageConfig}.
 */
public final class ProjectConfig {
  /** The file's name in the feature repository. */
  public static final String FILE = "lockstep.yaml";

  static final String OFFLINE = "offline";
  static final String REGISTRY = "registry";
  static final String ONLINE = "online";
  static final String EVENT_LOG = "event_log";
  static final String STREAMS = "streams";
  static final String LINEAGE = "lineage";
  static final String MONITORING = "monitoring";
  static final String LIMITS = "limits";
  static final String AUTH = "auth";
  private static final List<String> KEYS =
      List.of(OFFLINE, REGISTRY, ONLINE, EVENT_LOG, STREAMS, LINEAGE, MONITORING, LIMITS, AUTH);
  private static final List<String> LINEAGE_KEYS = List.of(LineageConfig.TRANSPORT, LineageConfig.PATH,
      LineageConfig.URL, LineageConfig.ENDPOINT, LineageConfig.API_KEY, LineageConfig.TIMEOUT_MS,
      LineageConfig.NAMESPACE);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  /** The embedded default of a role: backend, the property naming its directory, the directory. */
  private record Embedded(String backend, String key, String directory) {}

  private static final Map<String, Embedded> EMBEDDED = Map.of(
      OFFLINE, new Embedded("iceberg", "warehouse", "warehouse"),
      REGISTRY, new Embedded("file", "dir", "registry"),
      ONLINE, new Embedded("rocksdb", "dir", "online"),
      EVENT_LOG, new Embedded("local", "dir", "log"));

  private final Map<String, BackendSelection> roles;
  private final Map<String, BackendSelection> streams;
  private final Optional<LineageConfig> lineage;

  private final MonitoringConfig monitoring;
  private final LimitsConfig limits;
  private final Optional<AuthConfig> auth;

  private ProjectConfig(Map<String, BackendSelection> roles, Map<String, BackendSelection> streams,
      Optional<LineageConfig> lineage, MonitoringConfig monitoring, LimitsConfig limits, Optional<AuthConfig> auth) {
    this.auth = auth;
    this.monitoring = monitoring;
    this.limits = limits;
    this.roles = roles;
    this.streams = streams;
    this.lineage = lineage;
  }

  /**
   * The configuration of the project in {@code repository}, from its {@code lockstep.yaml} (or
   * {@code lockstep.yml}) if it has one, with embedded backends in {@code dataDirectory} by default.
   *
   * @throws BackendConfigException if the file cannot be read or a value is wrong, naming the key
   */
  public static ProjectConfig load(Path repository, Path dataDirectory, Map<String, String> environment) {
    Path file = repository.resolve(FILE);
    if (!Files.exists(file) && Files.exists(repository.resolve("lockstep.yml"))) {
      file = repository.resolve("lockstep.yml");
    }
    Map<String, Object> document = Files.exists(file) ? read(file) : Map.of();
    String name = file.getFileName().toString();
    for (String key : document.keySet()) {
      if (!KEYS.contains(key)) {
        throw error(name, "'" + key + "' is not a setting", "use " + String.join(", ", KEYS));
      }
    }
    Map<String, BackendSelection> roles = new LinkedHashMap<>();
    for (Map.Entry<String, Embedded> role : EMBEDDED.entrySet()) {
      Object value = document.get(role.getKey());
      BackendSelection selection = value == null
          ? BackendSelection.of(role.getValue().backend())
          : selection(name, role.getKey(), value, environment);
      Embedded embedded = role.getValue();
      if (selection.backend().equalsIgnoreCase(embedded.backend())) {
        String directory = selection.properties().get(embedded.key());
        Path resolved = directory == null
            ? dataDirectory.resolve(embedded.directory())
            : repository.resolve(directory);
        Map<String, String> properties = new TreeMap<>(selection.properties());
        properties.put(embedded.key(), resolved.toAbsolutePath().normalize().toString());
        selection = new BackendSelection(selection.backend(), properties, selection.secretKeys());
      }
      roles.put(role.getKey(), selection);
    }
    Map<String, BackendSelection> streams = new TreeMap<>();
    Object streamsValue = document.get(STREAMS);
    if (streamsValue != null) {
      if (!(streamsValue instanceof Map<?, ?> map)) {
        throw error(name, "'streams' must map source names to feeds", "e.g. streams: {payments: {backend: kafka, topic: payments}}");
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String source = String.valueOf(entry.getKey());
        streams.put(source, selection(name, STREAMS + "." + source, entry.getValue(), environment));
      }
    }
    Object lineageValue = document.get(LINEAGE);
    Optional<LineageConfig> lineage = lineageValue == null
        ? Optional.empty()
        : Optional.of(lineage(name, lineageValue, dataDirectory, environment));
    Object monitoringValue = document.get(MONITORING);
    MonitoringConfig monitoring = monitoringValue == null
        ? MonitoringConfig.defaults()
        : MonitoringConfig.parse(name, monitoringValue);
    Object limitsValue = document.get(LIMITS);
    LimitsConfig limits = limitsValue == null ? LimitsConfig.defaults() : LimitsConfig.parse(name, limitsValue);
    Object authValue = document.get(AUTH);
    Optional<AuthConfig> auth = authValue == null ? Optional.empty()
        : Optional.of(AuthConfig.parse(name, authValue, repository, environment));
    return new ProjectConfig(roles, streams, lineage, monitoring, limits, auth);
  }

  /** The offline store. */
  public BackendSelection offline() {
    return roles.get(OFFLINE);
  }

  /** The registry store. */
  public BackendSelection registry() {
    return roles.get(REGISTRY);
  }

  /** The online store. */
  public BackendSelection online() {
    return roles.get(ONLINE);
  }

  /** The event log. */
  public BackendSelection eventLog() {
    return roles.get(EVENT_LOG);
  }

  /** The feed each source's events arrive on, by source name; sources without one are absent. */
  public Map<String, BackendSelection> streams() {
    return streams;
  }

  /** The feed of {@code source}, if it has one. */
  public Optional<BackendSelection> stream(String source) {
    return Optional.ofNullable(streams.get(source));
  }

  /** The drift window and thresholds and the parity interval ({@link MonitoringConfig}). */
  public MonitoringConfig monitoring() {
    return monitoring;
  }

  /** Who may talk to a server ({@link AuthConfig}); empty: loopback only, no credentials. */
  public Optional<AuthConfig> auth() {
    return auth;
  }

  /** What one client may ask of a server and how much work may wait ({@link LimitsConfig}). */
  public LimitsConfig limits() {
    return limits;
  }

  /** Where OpenLineage run events go; empty when {@code lockstep.yaml} has no {@code lineage}. */
  public Optional<LineageConfig> lineage() {
    return lineage;
  }

  private static LineageConfig lineage(String file, Object value, Path dataDirectory, Map<String, String> environment) {
    String example = "e.g. lineage: {transport: file, path: lineage/events.jsonl}"
        + " or lineage: {transport: http, url: http://marquez:5000}";
    if (!(value instanceof Map<?, ?> map)) {
      throw error(file, "'lineage' must be a map with 'transport'", example);
    }
    Map<String, String> settings = new TreeMap<>();
    Set<String> secrets = new HashSet<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      String qualified = LINEAGE + "." + key;
      if (!LINEAGE_KEYS.contains(key)) {
        throw error(file, "'" + qualified + "' is not a setting", "use " + String.join(", ", LINEAGE_KEYS));
      }
      Object raw = entry.getValue();
      if (raw == null || raw instanceof Map<?, ?> || raw instanceof List<?>) {
        throw error(file, "'" + qualified + "' must be one value", "e.g. " + key + ": " + exampleValue(key));
      }
      String text = String.valueOf(raw);
      String substituted = substitute(file, qualified, text, environment);
      if (!substituted.equals(text) || key.equals(LineageConfig.API_KEY)) {
        secrets.add(key);
      }
      settings.put(key, substituted);
    }
    String transport = settings.get(LineageConfig.TRANSPORT);
    if (transport == null) {
      throw error(file, "'lineage' names no transport", "add transport: file or transport: http");
    }
    String namespace = settings.getOrDefault(LineageConfig.NAMESPACE, LineageConfig.NAMESPACE_DEFAULT);
    if (namespace.isBlank()) {
      throw error(file, "'lineage.namespace' is empty", "remove it for the default 'lockstep', or name one");
    }
    switch (transport.toLowerCase(java.util.Locale.ROOT)) {
      case "file" -> {
        for (String key : List.of(LineageConfig.URL, LineageConfig.ENDPOINT, LineageConfig.API_KEY, LineageConfig.TIMEOUT_MS)) {
          if (settings.containsKey(key)) {
            throw error(file, "'lineage." + key + "' does not apply to transport file", "remove it, or use transport: http");
          }
        }
        Path path = dataDirectory.resolve(settings.getOrDefault(LineageConfig.PATH, LineageConfig.PATH_DEFAULT))
            .toAbsolutePath().normalize();
        return new LineageConfig(LineageConfig.Transport.FILE, Optional.of(path), Optional.empty(),
            LineageConfig.ENDPOINT_DEFAULT, Optional.empty(), LineageConfig.TIMEOUT_MS_DEFAULT, namespace, secrets);
      }
      case "http" -> {
        if (settings.containsKey(LineageConfig.PATH)) {
          throw error(file, "'lineage.path' does not apply to transport http", "use url and endpoint");
        }
        String url = settings.get(LineageConfig.URL);
        if (url == null) {
          throw error(file, "'lineage' with transport http has no url", "add url: http://marquez:5000");
        }
        java.net.URI uri;
        try {
          uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
          uri = null;
        }
        if (uri == null || uri.getHost() == null
            || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
          String shown = secrets.contains(LineageConfig.URL) ? "its value" : "'" + url + "'";
          throw error(file, "'lineage.url' " + shown + " is not an http(s) URL", "write e.g. url: http://marquez:5000");
        }
        String endpoint = settings.getOrDefault(LineageConfig.ENDPOINT, LineageConfig.ENDPOINT_DEFAULT);
        if (!endpoint.startsWith("/")) {
          throw error(file, "'lineage.endpoint' must start with /", "e.g. endpoint: " + LineageConfig.ENDPOINT_DEFAULT);
        }
        int timeout = LineageConfig.TIMEOUT_MS_DEFAULT;
        if (settings.containsKey(LineageConfig.TIMEOUT_MS)) {
          try {
            timeout = Integer.parseInt(settings.get(LineageConfig.TIMEOUT_MS));
          } catch (NumberFormatException e) {
            timeout = 0;
          }
          if (timeout <= 0) {
            throw error(file, "'lineage.timeout_ms' must be a positive number of milliseconds", "e.g. timeout_ms: 5000");
          }
        }
        return new LineageConfig(LineageConfig.Transport.HTTP, Optional.empty(), Optional.of(uri), endpoint,
            Optional.ofNullable(settings.get(LineageConfig.API_KEY)), timeout, namespace, secrets);
      }
      default -> throw error(file, "'lineage.transport' is '" + transport + "'", "use file or http");
    }
  }

  private static String exampleValue(String key) {
    return switch (key) {
      case LineageConfig.TRANSPORT -> "file";
      case LineageConfig.PATH -> LineageConfig.PATH_DEFAULT;
      case LineageConfig.URL -> "http://marquez:5000";
      case LineageConfig.ENDPOINT -> LineageConfig.ENDPOINT_DEFAULT;
      case LineageConfig.API_KEY -> "${MARQUEZ_KEY}";
      case LineageConfig.TIMEOUT_MS -> String.valueOf(LineageConfig.TIMEOUT_MS_DEFAULT);
      default -> LineageConfig.NAMESPACE_DEFAULT;
    };
  }

  private static Map<String, Object> read(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    String name = file.getFileName().toString();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object document = new Yaml(new SafeConstructor(options)).load(reader);
      if (document == null) {
        return Map.of();
      }
      if (!(document instanceof Map<?, ?> map)) {
        throw error(name, "it is not a map of settings", "write e.g. online: redis");
      }
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((key, value) -> result.put(String.valueOf(key), value));
      return result;
    } catch (YAMLException e) {
      if (e.getCause() instanceof IOException) {
        throw error(name, dev.lockstep.io.IoReasons.of(e), "save it as UTF-8");
      }
      throw error(name, e.getMessage().lines().findFirst().orElse("malformed YAML"), "fix the YAML syntax");
    } catch (IOException e) {
      throw error(name, dev.lockstep.io.IoReasons.of(e), "check that it is a readable UTF-8 file");
    }
  }

  private static BackendSelection selection(String file, String key, Object value, Map<String, String> environment) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return BackendSelection.of(String.valueOf(value));
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw error(file, "'" + key + "' must be a backend name or a map with 'backend'",
          "e.g. " + key + ": {backend: redis, uri: redis://127.0.0.1:6379}");
    }
    Map<String, String> properties = new TreeMap<>();
    Set<String> secrets = new HashSet<>();
    flatten(file, key, "", map, properties, secrets, environment);
    String backend = properties.remove("backend");
    if (backend == null || backend.isBlank()) {
      throw error(file, "'" + key + "' names no backend", "add backend: <name>, e.g. backend: redis");
    }
    return new BackendSelection(backend, properties, secrets);
  }

  private static void flatten(String file, String key, String prefix, Map<?, ?> map, Map<String, String> properties,
      Set<String> secrets, Map<String, String> environment) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String property = prefix + entry.getKey();
      Object value = entry.getValue();
      if (value instanceof Map<?, ?> nested) {
        flatten(file, key, property + ".", nested, properties, secrets, environment);
      } else if (value instanceof List<?>) {
        throw error(file, "'" + key + "." + property + "' is a list", "write one value, e.g. a comma-separated string");
      } else if (value == null) {
        throw error(file, "'" + key + "." + property + "' has no value", "give it one or remove it");
      } else {
        String text = String.valueOf(value);
        String substituted = substitute(file, key + "." + property, text, environment);
        if (!substituted.equals(text)) {
          secrets.add(property);
        }
        properties.put(property, substituted);
      }
    }
  }

  /** {@code text} with every {@code ${NAME}} / {@code ${NAME:-default}} replaced. */
  static String substitute(String file, String key, String text, Map<String, String> environment) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String value = environment.get(variable);
      if (value == null) {
        if (matcher.group(2) == null) {
          throw error(file, "'" + key + "' refers to environment variable " + variable + ", which is not set",
              "export it, or give a default: ${" + variable + ":-value}");
        }
        value = matcher.group(3);
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private static BackendConfigException error(String file, String problem, String hint) {
    return new BackendConfigException("Cannot read " + file + ": " + problem + " (" + hint + ")");
  }
}
