package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.FeatureStatus;
import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.BatchFeatureRequest;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.api.client.ServiceUnavailableException;
import dev.lockstep.api.client.UnknownNameException;
import dev.lockstep.client.RemoteFeatureClient;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The remote client against the server: vectors, pushes and errors come back as the fake made them. */
class RemoteFeatureClientTest {
  private static ServerFixture fixture;
  private static RemoteFeatureClient client;

  @BeforeAll
  static void start() {
    fixture = new ServerFixture();
    client = RemoteFeatureClient.connect(fixture.server.uri());
  }

  @AfterAll
  static void stop() {
    client.close();
    fixture.close();
  }

  @AfterEach
  void reset() {
    fixture.client.requests.clear();
    fixture.client.pushes.clear();
  }

  /** Equal values (Long vs Double, -0.0 vs 0.0 told apart) in the same column order. */
  private static void assertSameVector(FeatureVector actual, FeatureVector expected) {
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.names()).containsExactlyElementsOf(expected.names());
    assertThat(List.copyOf(actual.statuses().keySet())).containsExactlyElementsOf(expected.statuses().keySet());
  }

  @Test
  void aNonFiniteServedDoubleComesBackAsTheDouble() {
    FeatureVector vector = client.features(FeatureRequest.forService("nan", Map.of("card_id", "c")));
    assertThat((Double) vector.value("card_txn__amount_mean_1h")).isNaN();
  }

  @Test
  void roundTripsEveryValueTypeAndStatus() {
    Set<FeatureStatus> seen = EnumSet.noneOf(FeatureStatus.class);
    Set<Double> doubles = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      FeatureRequest request = FeatureRequest.forService("fraud_model", Map.of("card_id", "card-" + i));
      FeatureVector vector = client.features(request);
      assertSameVector(vector, FakeFeatureClient.vector(request));
      seen.addAll(vector.statuses().values());
      doubles.add((Double) vector.value("card_txn__amount_mean_1h"));
    }
    assertThat(seen).containsExactlyInAnyOrder(FeatureStatus.values());
    assertThat(doubles).hasSizeGreaterThan(10);

    FeatureVector one = client.features(FeatureRequest.forService("fraud_model", Map.of("card_id", "c-1")));
    assertThat(one.value("card_txn__txn_count_5m")).isInstanceOf(Long.class);
    assertThat(one.value("card_txn__amount_max_30d")).isEqualTo(3.0);
    assertThat(one.value("card_txn__last_amounts")).isEqualTo(List.of(1L, 2.5, "x", List.of(3L, -0.0)));
    assertThat(one.value("card_ratios__spend_ratio_7d_30d")).isNull();
    assertThat(one.t()).isEqualTo(FakeFeatureClient.T);
  }

  @Test
  void sendsFeatureListsAndContext() {
    FeatureRequest byList = FeatureRequest.forFeatures(List.of("card_txn:txn_count_5m", "card_txn:last_merchant@v1"),
        Map.of("card_id", "c-1"));
    assertSameVector(client.features(byList), FakeFeatureClient.vector(byList));

    Map<String, Object> context = new LinkedHashMap<>();
    context.put("amount", 99.25);
    context.put("channel", "web");
    context.put("coupon", null);
    context.put("items", List.of(1L, 2L));
    FeatureRequest withContext = FeatureRequest.forService("fraud_model", Map.of("card_id", 17L)).withContext(context);
    FeatureVector vector = client.features(withContext);

    assertSameVector(vector, FakeFeatureClient.vector(withContext));
    assertThat(vector.value("request__amount")).isEqualTo(99.25);
    assertThat(fixture.client.requests).containsExactly(byList, withContext);
  }

  @Test
  void keepsTheOrderOfABatch() {
    List<Map<String, Object>> entities = new ArrayList<>();
    for (int i = 50; i > 0; i--) {
      entities.add(Map.of("card_id", "c-" + i));
    }
    BatchFeatureRequest request = BatchFeatureRequest.forService("fraud_model", entities);

    List<FeatureVector> vectors = client.features(request);

    assertThat(vectors).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertSameVector(vectors.get(i), FakeFeatureClient.vector(request.single(i)));
    }
    assertThat(fixture.client.requests).containsExactly(request);
  }

  @Test
  void pushesEventsAndReadsTheirOutcome() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("card_id", "c-2");
    bad.put("amount", null);
    List<Map<String, Object>> events = List.of(
        Map.of("card_id", "c-1", "ts", "2026-11-21T10:00:00Z", "amount", 12.5, "merchant", "m-1", "items", 2L),
        bad,
        Map.of("card_id", "c-3", "ts", 1_700_000_000_000L, "amount", 7L));

    PushResult result = client.push("payments", events);

    assertThat(result).isEqualTo(new PushResult(2, List.of(
        new PushResult.Rejection(1, "column 'amount': 'null' is not a double"))));
    assertThat(fixture.client.pushes).containsExactly(new FakeFeatureClient.Push("payments", events));
    assertThat(client.push("payments", List.of())).isEqualTo(new PushResult(0, List.of()));
  }

  @Test
  void sendsInstantsAsIsoText() {
    client.push("payments", List.of(Map.of("ts", java.time.Instant.parse("2026-11-21T10:00:00.250Z"), "amount", 1.0)));

    assertThat(fixture.client.pushes.peek().events().get(0).get("ts")).isEqualTo("2026-11-21T10:00:00.250Z");
  }

  @Test
  void refusesValuesJsonCannotCarry() {
    assertThatThrownBy(() -> client.push("payments", List.of(Map.of("when", new Object() {}))))
        .isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("Cannot send event 0: it holds a ");
  }

  @Test
  void mapsErrorsToTheSameExceptions() {
    assertThatThrownBy(() -> client.features(FeatureRequest.forService("nope", Map.of("card_id", "c"))))
        .isExactlyInstanceOf(UnknownNameException.class)
        .hasMessage("Cannot get features: no feature service 'nope' (feature services: fraud_model)");
    assertThatThrownBy(() -> client.features(FeatureRequest.forService("fraud_model", Map.of("user", "u"))))
        .isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessage("Cannot get features of service 'fraud_model': the entity lacks the join key 'card_id' "
            + "(give {\"card_id\": ...})");
    assertThatThrownBy(() -> client.features(FeatureRequest.forFeatures(List.of("nope:x"), Map.of("card_id", "c"))))
        .isExactlyInstanceOf(UnknownNameException.class)
        .hasMessage("Cannot get features: no feature view 'nope' (feature views: card_txn)");
    assertThatThrownBy(() -> client.features(BatchFeatureRequest.forService("nope", List.of(Map.of("card_id", "c")))))
        .isExactlyInstanceOf(UnknownNameException.class);
    assertThatThrownBy(() -> client.push("refunds", List.of()))
        .isExactlyInstanceOf(UnknownNameException.class)
        .hasMessage("Cannot push events: no source 'refunds' (sources: payments)");
    assertThatThrownBy(() -> client.features(FeatureRequest.forService("explode", Map.of("card_id", "c"))))
        .isExactlyInstanceOf(LockstepException.class)
        .hasMessage("Cannot get features: server answered 500: Cannot get features: internal error "
            + "(IllegalStateException: boom; the server log has the details)");
    assertThatThrownBy(() -> client.features(FeatureRequest.forService("backend_down", Map.of("card_id", "c"))))
        .isExactlyInstanceOf(ServiceUnavailableException.class)
        .hasMessage("Cannot read the online store on rocksdb: disk unavailable (check the data directory)");
  }

  @Test
  void reportsARefusedConnection() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI uri = URI.create("http://127.0.0.1:" + port);
    RemoteFeatureClient nowhere = RemoteFeatureClient.connect(uri);

    assertThatThrownBy(() -> nowhere.features(FeatureRequest.forService("fraud_model", Map.of("card_id", "c"))))
        .isExactlyInstanceOf(LockstepException.class)
        .hasMessage("Cannot reach the Lockstep server at " + uri + ": connection refused (is `lockstep serve` running?)");
  }

  @Test
  void givesUpAfterTheRequestTimeout() {
    RemoteFeatureClient impatient = RemoteFeatureClient.builder(fixture.server.uri())
        .requestTimeout(Duration.ofMillis(200)).build();

    assertThatThrownBy(() -> impatient.features(FeatureRequest.forService("slow", Map.of("card_id", "c"))))
        .isExactlyInstanceOf(LockstepException.class)
        .hasMessage("Cannot get features: the server at " + fixture.server.uri() + " did not answer within 200 ms "
            + "(raise the client's request timeout, or check the server's load)");
  }

  @Test
  void refusesCallsOnceClosed() {
    RemoteFeatureClient closed = RemoteFeatureClient.connect(fixture.server.uri());
    closed.close();

    assertThatThrownBy(() -> closed.push("payments", List.of()))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot push events to 'payments': the client is closed");
  }

  @Test
  void servesEightThreadsAtOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int t = thread;
        results.add(threads.submit(() -> {
          int checked = 0;
          for (int i = 0; i < 500; i++) {
            Map<String, Object> entity = Map.of("card_id", "t" + t + "-" + i);
            if (i % 50 == 49) {
              BatchFeatureRequest batch = BatchFeatureRequest.forService("fraud_model",
                  List.of(entity, Map.of("card_id", "other-" + i)));
              List<FeatureVector> vectors = client.features(batch);
              assertSameVector(vectors.get(0), FakeFeatureClient.vector(batch.single(0)));
              assertSameVector(vectors.get(1), FakeFeatureClient.vector(batch.single(1)));
            } else if (i % 50 == 25) {
              List<Map<String, Object>> events = List.of(Map.of("card_id", entity.get("card_id"), "amount", (double) i));
              assertThat(client.push("payments", events)).isEqualTo(new PushResult(1, List.of()));
            } else {
              FeatureRequest request = FeatureRequest.forService("fraud_model", entity);
              assertSameVector(client.features(request), FakeFeatureClient.vector(request));
            }
            checked++;
          }
          return checked;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(500);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(fixture.client.requests).hasSize(8 * 490);
    assertThat(fixture.client.pushes).hasSize(8 * 10);
  }

  @Test
  void keepsDoublesBitForBit() {
    // every double of the fake, both signs, through JSON and back
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < 2000 && expected.size() < 2 * FakeFeatureClient.DOUBLES.length; i++) {
      FeatureRequest request = FeatureRequest.forService("fraud_model", Map.of("card_id", "d" + i));
      Object sent = FakeFeatureClient.vector(request).value("card_txn__amount_mean_1h");
      Object received = client.features(request).value("card_txn__amount_mean_1h");
      assertThat(Double.doubleToRawLongBits((Double) received)).as("%s", sent)
          .isEqualTo(Double.doubleToRawLongBits((Double) sent));
      if (!expected.contains(sent)) {
        expected.add((Double) sent);
      }
    }
    assertThat(expected).hasSizeGreaterThan(Arrays.asList(FakeFeatureClient.DOUBLES).size());
  }
}
