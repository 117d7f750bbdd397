package dev.lockstep.server;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.spi.BackendException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A hand-written feature client: deterministic vectors of every value type and status for the
 * service {@code fraud_model} (entity key {@code card_id}), one Long per feature for a feature
 * list, a push that accepts events with a numeric {@code amount} to the source {@code payments};
 * records every call. Special services make it fail: {@code explode} (IllegalStateException),
 * {@code nan} (a NaN value), {@code backend_down} (BackendException), {@code slow} (sleeps 2 s).
 */
final class FakeFeatureClient implements FeatureClient {
  static final Instant T = Instant.parse("2026-11-21T10:00:00.123Z");

  /** Doubles whose text form is easy to get wrong. */
  static final double[] DOUBLES = {0.1, 1.0 / 3, 3.0, -0.0, 2e-3, 1e23, 1e300, Double.MIN_VALUE, Double.MAX_VALUE,
      123456789.123, 5e-324, 0.30000000000000004};

  final Queue<Object> requests = new ConcurrentLinkedQueue<>();
  final Queue<Push> pushes = new ConcurrentLinkedQueue<>();

  record Push(String source, List<Map<String, Object>> events) {}

  @Override
  public FeatureVector features(FeatureRequest request) {
    requests.add(request);
    return vector(request);
  }

  @Override
  public List<FeatureVector> features(BatchFeatureRequest request) {
    requests.add(request);
    List<FeatureVector> vectors = new ArrayList<>();
    for (int i = 0; i < request.entities().size(); i++) {
      vectors.add(vector(request.single(i)));
    }
    return vectors;
  }

  /** The vector this client answers {@code request} with. */
  static FeatureVector vector(FeatureRequest request) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
    if (request.service().isEmpty()) {
      for (String text : request.features()) {
        FeatureReference reference = FeatureReference.parse(text);
        if (!reference.view().equals("card_txn")) {
          throw new UnknownNameException("Cannot get features: no feature view '" + reference.view()
              + "' (feature views: card_txn)");
        }
        values.put(reference.columnName(), (long) reference.feature().length());
        statuses.put(reference.columnName(), FeatureStatus.PRESENT);
      }
      return new FeatureVector(request.entity(), T, values, statuses);
    }
    String service = request.service().get();
    switch (service) {
      case "fraud_model":
        break;
      case "explode":
        throw new IllegalStateException("boom");
      case "nan":
        return new FeatureVector(request.entity(), T, Map.of("card_txn__amount_mean_1h", Double.NaN),
            Map.of("card_txn__amount_mean_1h", FeatureStatus.PRESENT));
      case "backend_down":
        throw new BackendException("Cannot read the online store on rocksdb: disk unavailable (check the data directory)");
      case "slow":
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        break;
      default:
        throw new UnknownNameException("Cannot get features: no feature service '" + service
            + "' (feature services: fraud_model)");
    }
    Object key = request.entity().get("card_id");
    if (key == null) {
      throw new InvalidRequestException("Cannot get features of service '" + service
          + "': the entity lacks the join key 'card_id' (give {\"card_id\": ...})");
    }
    int n = Math.floorMod(key.toString().hashCode(), 1000);
    put(values, statuses, "card_txn__txn_count_5m", (long) n, FeatureStatus.PRESENT);
    put(values, statuses, "card_txn__amount_mean_1h", DOUBLES[n % DOUBLES.length] * (n % 2 == 0 ? 1 : -1),
        FeatureStatus.STALE);
    put(values, statuses, "card_txn__merchants_24h", n % 3 == 0 ? Long.MAX_VALUE : Long.MIN_VALUE,
        FeatureStatus.PRESENT);
    put(values, statuses, "card_txn__last_merchant", n % 4 == 0 ? null : "m-" + key + " é ✓ \"q\" \\ \n",
        n % 4 == 0 ? FeatureStatus.EXPIRED : FeatureStatus.PRESENT);
    put(values, statuses, "card_txn__last_amounts", List.of(1L, 2.5, "x", List.of(3L, -0.0)), FeatureStatus.PRESENT);
    put(values, statuses, "card_txn__amount_max_30d", 3.0, FeatureStatus.PRESENT);
    put(values, statuses, "card_ratios__spend_ratio_7d_30d", null, FeatureStatus.NO_DATA);
    Object amount = request.context().get("amount");
    if (amount != null) {
      put(values, statuses, "request__amount", amount, FeatureStatus.PRESENT);
    }
    return new FeatureVector(request.entity(), T, values, statuses);
  }

  private static void put(Map<String, Object> values, Map<String, FeatureStatus> statuses, String column,
      Object value, FeatureStatus status) {
    values.put(column, value);
    statuses.put(column, status);
  }

  @Override
  public PushResult push(String source, List<Map<String, Object>> events) {
    if (!source.equals("payments")) {
      throw new UnknownNameException("Cannot push events: no source '" + source + "' (sources: payments)");
    }
    pushes.add(new Push(source, events));
    return result(events);
  }

  /** The result this client answers a push of {@code events} with. */
  static PushResult result(List<Map<String, Object>> events) {
    List<PushResult.Rejection> rejected = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Object amount = events.get(i).get("amount");
      if (!(amount instanceof Number)) {
        rejected.add(new PushResult.Rejection(i, "column 'amount': '" + amount + "' is not a double"));
      }
    }
    return new PushResult(events.size() - rejected.size(), rejected);
  }

  @Override
  public void close() {}
}
