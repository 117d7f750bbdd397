package dev.lockstep.core.config;

import dev.lockstep.spi.BackendConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code limits} of {@code lockstep.yaml}: what one client may ask of a server and how much
 * work may wait, so that load is shed with a clear answer (413, 503 with {@code Retry-After})
 * instead of growing memory. Every key is optional; the defaults are the constants below.
 *
 * <pre>{@code
 * limits:
 *   max_batch_entities: 10000        # entities in one POST /v1/features (413 beyond)
 *   max_push_events: 100000          # events in one push (413 beyond)
 *   max_body_mb: 16                  # request body (413 beyond)
 *   max_response_mb: 64              # answer of one request (413 beyond: ask for less)
 *   max_in_flight_requests: 64       # requests being read or served at once (503 beyond)
 *   max_connections_per_address: 256 # open connections of one client address (refused beyond)
 *   max_unapplied_events: 1000000    # per source: acknowledged, not applied yet (pushes 503 beyond)
 *   max_apply_lag: 10s               # per source: how far the applier may trail (pushes 503 beyond)
 *   read_timeout: 30s                # a request whose bytes stop coming for this long is cut
 *   max_requests_per_second: 500     # per principal (per address without auth:), bursts of as many
 *                                    # (429 with Retry-After beyond); default: no such limit
 * }</pre>
 */
public record LimitsConfig(
    int maxBatchEntities,
    int maxPushEvents,
    long maxBodyBytes,
    long maxResponseBytes,
    int maxInFlightRequests,
    int maxConnectionsPerAddress,
    long maxUnappliedEvents,
    Duration maxApplyLag,
    Duration readTimeout,
    int maxRequestsPerSecond) {
  public static final int MAX_BATCH_ENTITIES_DEFAULT = 10_000;
  public static final int MAX_PUSH_EVENTS_DEFAULT = 100_000;
  public static final long MAX_BODY_BYTES_DEFAULT = 16L << 20;
  public static final long MAX_RESPONSE_BYTES_DEFAULT = 64L << 20;
  public static final int MAX_IN_FLIGHT_REQUESTS_DEFAULT = 64;
  public static final int MAX_CONNECTIONS_PER_ADDRESS_DEFAULT = 256;
  public static final long MAX_UNAPPLIED_EVENTS_DEFAULT = 1_000_000;
  public static final Duration MAX_APPLY_LAG_DEFAULT = Duration.ofSeconds(10);
  public static final Duration READ_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  /** No per-principal request rate limit. */
  public static final int NO_RATE_LIMIT = 0;

  static final List<String> KEYS = List.of("max_batch_entities", "max_push_events", "max_body_mb", "max_response_mb",
      "max_in_flight_requests", "max_connections_per_address", "max_unapplied_events", "max_apply_lag", "read_timeout",
      "max_requests_per_second");

  /** @throws IllegalArgumentException if a limit is not positive */
  public LimitsConfig {
    if (maxBatchEntities < 1 || maxPushEvents < 1 || maxBodyBytes < 1 || maxResponseBytes < 1
        || maxInFlightRequests < 1 || maxConnectionsPerAddress < 1 || maxUnappliedEvents < 1
        || readTimeout.isNegative() || readTimeout.isZero() || maxApplyLag.isNegative() || maxApplyLag.isZero()
        || maxRequestsPerSecond < 0) {
      throw new IllegalArgumentException("every limit must be positive");
    }
  }

  /** The limits without a per-principal request rate. */
  public LimitsConfig(int maxBatchEntities, int maxPushEvents, long maxBodyBytes, long maxResponseBytes,
      int maxInFlightRequests, int maxConnectionsPerAddress, long maxUnappliedEvents, Duration maxApplyLag,
      Duration readTimeout) {
    this(maxBatchEntities, maxPushEvents, maxBodyBytes, maxResponseBytes, maxInFlightRequests,
        maxConnectionsPerAddress, maxUnappliedEvents, maxApplyLag, readTimeout, NO_RATE_LIMIT);
  }

  /** Every limit at its default. */
  public static LimitsConfig defaults() {
    return new LimitsConfig(MAX_BATCH_ENTITIES_DEFAULT, MAX_PUSH_EVENTS_DEFAULT, MAX_BODY_BYTES_DEFAULT,
        MAX_RESPONSE_BYTES_DEFAULT, MAX_IN_FLIGHT_REQUESTS_DEFAULT, MAX_CONNECTIONS_PER_ADDRESS_DEFAULT,
        MAX_UNAPPLIED_EVENTS_DEFAULT, MAX_APPLY_LAG_DEFAULT, READ_TIMEOUT_DEFAULT);
  }

  /** The limits of {@code value}, the map under {@code limits} in {@code file}. */
  static LimitsConfig parse(String file, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw error(file, "'limits' must be a map", "e.g. limits: {max_batch_entities: 5000}");
    }
    for (Object key : map.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw error(file, "'limits." + key + "' is not a limit", "use " + String.join(", ", KEYS));
      }
    }
    return new LimitsConfig(
        (int) count(file, map, "max_batch_entities", MAX_BATCH_ENTITIES_DEFAULT, Integer.MAX_VALUE),
        (int) count(file, map, "max_push_events", MAX_PUSH_EVENTS_DEFAULT, Integer.MAX_VALUE),
        count(file, map, "max_body_mb", MAX_BODY_BYTES_DEFAULT >> 20, 1L << 20) << 20,
        count(file, map, "max_response_mb", MAX_RESPONSE_BYTES_DEFAULT >> 20, 1L << 20) << 20,
        (int) count(file, map, "max_in_flight_requests", MAX_IN_FLIGHT_REQUESTS_DEFAULT, 1_000_000),
        (int) count(file, map, "max_connections_per_address", MAX_CONNECTIONS_PER_ADDRESS_DEFAULT, 1_000_000),
        count(file, map, "max_unapplied_events", MAX_UNAPPLIED_EVENTS_DEFAULT, Long.MAX_VALUE),
        duration(file, map, "max_apply_lag", MAX_APPLY_LAG_DEFAULT),
        duration(file, map, "read_timeout", READ_TIMEOUT_DEFAULT),
        map.containsKey("max_requests_per_second")
            ? (int) count(file, map, "max_requests_per_second", 500, 10_000_000) : NO_RATE_LIMIT);
  }

  private static long count(String file, Map<?, ?> map, String key, long fallback, long max) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 1
        && ((Number) value).longValue() <= max) {
      return ((Number) value).longValue();
    }
    throw error(file, "'limits." + key + "' must be a whole number from 1 to " + max + ", got '" + value + "'",
        "e.g. " + key + ": " + fallback);
  }

  private static Duration duration(String file, Map<?, ?> map, String key, Duration fallback) {
    return ConfigValues.duration(file, "limits", map, key, fallback, "30s");
  }

  private static BackendConfigException error(String file, String problem, String hint) {
    return ConfigValues.error(file, problem, hint);
  }
}
