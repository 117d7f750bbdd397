package dev.lockstep.server;

import java.util.List;

/**
 * The server's routes, each with its one method and its metric tag. Matching splits the decoded
 * path on {@code /}; a trailing slash is ignored.
 */
enum Route {
  FEATURES("POST", "/v1/features"),
  PUSH("POST", "/v1/push/{source}"),
  REGISTRY("GET", "/v1/registry"),
  REGISTRY_KIND("GET", "/v1/registry/{kind}"),
  REGISTRY_NAME("GET", "/v1/registry/{kind}/{name}"),
  STATUS("GET", "/v1/status"),
  BREAKERS("GET", "/v1/breakers"),
  BREAKER_RESET("POST", "/v1/breakers/{source}/reset"),
  QUARANTINE("GET", "/v1/quarantine/{source}"),
  QUARANTINE_REPLAY("POST", "/v1/quarantine/{source}/replay"),
  LINEAGE("GET", "/v1/lineage/{name}"),
  HEALTH("GET", "/health"),
  READY("GET", "/ready"),
  METRICS("GET", "/metrics"),
  /** Any other path; answered 404. */
  UNMATCHED("", "unmatched");

  private final String method;
  private final String template;

  Route(String method, String template) {
    this.method = method;
    this.template = template;
  }

  /** The one method the route accepts. */
  String method() {
    return method;
  }

  /** The route's template, e.g. {@code /v1/push/{source}}: the {@code route} tag of the request timer. */
  String template() {
    return template;
  }

  /** A route and its path parameters. */
  record Match(Route route, List<String> parameters) {}

  private static final Match UNMATCHED_MATCH = new Match(UNMATCHED, List.of());

  /** The route of {@code path}, or {@link #UNMATCHED}. */
  static Match match(String path) {
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    switch (path) {
      case "/v1/features": return new Match(FEATURES, List.of());
      case "/v1/registry": return new Match(REGISTRY, List.of());
      case "/health": return new Match(HEALTH, List.of());
      case "/ready": return new Match(READY, List.of());
      case "/metrics": return new Match(METRICS, List.of());
      case "/v1/status": return new Match(STATUS, List.of());
      case "/v1/breakers": return new Match(BREAKERS, List.of());
      default: break;
    }
    if (path.startsWith("/v1/push/")) {
      String source = path.substring("/v1/push/".length());
      return source.isEmpty() || source.indexOf('/') >= 0 ? UNMATCHED_MATCH : new Match(PUSH, List.of(source));
    }
    Match named = named(path, "/v1/breakers/", "reset", BREAKER_RESET, null);
    if (named == null) {
      named = named(path, "/v1/quarantine/", "replay", QUARANTINE_REPLAY, QUARANTINE);
    }
    if (named == null) {
      named = named(path, "/v1/lineage/", null, null, LINEAGE);
    }
    if (named != null) {
      return named;
    }
    if (path.startsWith("/v1/registry/")) {
      String[] parts = path.substring("/v1/registry/".length()).split("/", -1);
      for (String part : parts) {
        if (part.isEmpty()) {
          return UNMATCHED_MATCH;
        }
      }
      if (parts.length == 1) {
        return new Match(REGISTRY_KIND, List.of(parts[0]));
      }
      if (parts.length == 2) {
        return new Match(REGISTRY_NAME, List.of(parts[0], parts[1]));
      }
    }
    return UNMATCHED_MATCH;
  }

  /**
   * {@code prefix + name} matches {@code bare}, {@code prefix + name + "/" + action} matches {@code
   * withAction}; null if {@code path} is under neither (or names nothing).
   */
  private static Match named(String path, String prefix, String action, Route withAction, Route bare) {
    if (!path.startsWith(prefix)) {
      return null;
    }
    String[] parts = path.substring(prefix.length()).split("/", -1);
    if (parts[0].isEmpty()) {
      return UNMATCHED_MATCH;
    }
    if (parts.length == 1 && bare != null) {
      return new Match(bare, List.of(parts[0]));
    }
    if (parts.length == 2 && action != null && parts[1].equals(action)) {
      return new Match(withAction, List.of(parts[0]));
    }
    return UNMATCHED_MATCH;
  }

  /** Every route a client may call, for the 404 message. */
  static String summary() {
    return "POST /v1/features, POST /v1/push/{source}, GET /v1/registry[/{kind}[/{name}]], GET /v1/status,"
        + " GET /v1/breakers, POST /v1/breakers/{source}/reset, GET /v1/quarantine/{source},"
        + " POST /v1/quarantine/{source}/replay, GET /v1/lineage/{name}, GET /health, GET /ready, GET /metrics";
  }
}
