package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.ingest.IngestResult;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input, generated (jqwik, fixed seeds): pushes over HTTP and ingested files with every
 * column type at its extremes — epochs in nanoseconds, microseconds, negative, at the limits of a
 * long; NaN, infinities and numbers beyond a long; huge and odd strings; deep JSON; wrong types;
 * missing keys; bodies that are not JSON or not of an accepted content type. Every push is answered
 * 200 with each event accepted or rejected with its reason, or 4xx — never 5xx; the stream never
 * stops; and at the end {@code /health} is 200 and every accepted event is in the offline table
 * exactly once and counted online exactly once.
 *
 * <p>About 100,000 pushed events and 20,000 ingested rows per run.
 */
class HostileInputFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          max_future: 1s
          columns: {card_id: string, txn_id: long, amount: double, merchant: string, items: long}
      feature_views:
        - name: card_life
          source: payments
          features:
            - {name: txn_count, aggregation: count, window: lifetime}
            - {name: items_sum, aggregation: sum, column: items, window: lifetime}
      feature_services:
        - name: scoring
          features: [card_life:txn_count, card_life:items_sum]
      """;
  private static final int CARDS = 20;

  private static Path repo;
  private static Lockstep lockstep;
  private static ServeCommand.Serving serving;
  private static HttpClient http;
  private static final AtomicLong nextTxn = new AtomicLong();
  /** The txn_id of every pushed event the server acknowledged, and per card how many. */
  private static final Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final Map<String, Long> acknowledgedPerCard = new java.util.concurrent.ConcurrentHashMap<>();
  private static final AtomicLong pushedEvents = new AtomicLong();
  private static final AtomicLong ingestedRows = new AtomicLong();
  private static final AtomicLong ingestAccepted = new AtomicLong();
  private static final Map<Integer, Long> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
  private static final Map<String, Long> reasons = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeContainer
  static void serve() throws IOException {
    repo = Files.createTempDirectory("lockstep-fuzz-");
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    lockstep = Lockstep.open(repo);
    lockstep.apply(lockstep.plan());
    serving = ServeCommand.Serving.start(lockstep, "127.0.0.1", 0, List.of());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterContainer
  static void everyAcknowledgedEventIsStoredAndCountedOnceAndTheServerIsHealthy() throws Exception {
    System.out.printf("fuzz: %,d events pushed, %,d acknowledged, %,d rows ingested (%,d accepted); statuses %s%n",
        pushedEvents.get(), acknowledged.size(), ingestedRows.get(), ingestAccepted.get(), statuses);
    reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .forEach(reason -> System.out.println("fuzz:   " + reason.getValue() + " x " + reason.getKey()));
    try {
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      assertThat(pushedEvents.get()).as("events pushed").isGreaterThanOrEqualTo(100_000);
      assertThat(ingestedRows.get()).as("rows ingested").isGreaterThanOrEqualTo(20_000);
      assertThat(acknowledged.size()).as("acknowledged events").isGreaterThan(20_000);
      Thread.sleep(1_500); // events dated up to max_future ahead count once the clock passes them
      serving.online().awaitApplied(Duration.ofSeconds(120));
      serving.online().flushOffline();

      Map<Long, Integer> stored = new HashMap<>();
      long unidentified = 0;
      try (CloseableIterator<Row> rows = lockstep.offlineStore().scan("payments", ScanRequest.latest())) {
        int txn = lockstep.offlineStore().schema("payments").position("txn_id");
        while (rows.hasNext()) {
          Object id = rows.next().value(txn);
          if (id == null) {
            unidentified++;
          } else {
            stored.merge((Long) id, 1, Integer::sum);
          }
        }
      }
      assertThat(stored.values()).as("no event stored twice").allMatch(count -> count == 1);
      assertThat(stored.keySet()).as("every acknowledged push is stored").containsAll(acknowledged);
      assertThat(stored.size() + unidentified).as("rows stored: acknowledged pushes and accepted ingest rows")
          .isEqualTo(acknowledged.size() + ingestAccepted.get());

      for (int card = 0; card < CARDS; card++) {
        String id = "card-" + card;
        // the count alone: a sum of longs pushed at Long.MAX_VALUE may not fit a long (a read of that
        // feature says so), and this checks what was counted, not that
        Object count = serving.online().client().features(FeatureRequest.forFeatures(List.of("card_life:txn_count"),
            Map.of("card_id", id))).value("card_life__txn_count");
        assertThat(count).as("online count of " + id).isEqualTo(acknowledgedPerCard.getOrDefault(id, 0L));
      }
      assertThat(serving.online().healthy()).isTrue();
    } finally {
      serving.close();
      lockstep.close();
    }
  }

  @Property(tries = 1_300, seed = "20261207", shrinking = net.jqwik.api.ShrinkingMode.OFF)
  void everyPushIsAnsweredWithAcceptedOrRejectedEventsOrA4xx(@ForAll("pushes") Push push) throws Exception {
    List<Map<String, Object>> events = new ArrayList<>();
    for (Map<String, Object> template : push.events()) {
      Map<String, Object> event = new HashMap<>(template);
      event.put("txn_id", nextTxn.getAndIncrement());
      events.add(event);
    }
    pushedEvents.addAndGet(events.size());
    String body = push.body(events);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/push/payments"))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (push.contentType() != null) {
      request.header("Content-Type", push.contentType());
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String what = "push of " + events.size() + " as " + push.contentType() + ": " + abbreviate(response.body());
    statuses.merge(response.statusCode(), 1L, Long::sum);
    assertThat(response.statusCode()).as(what).isIn(200, 400, 413, 415);
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      String error = answer.get("error").asText();
      reasons.merge(error.substring(0, Math.min(60, error.length())), 1L, Long::sum);
      assertThat(answer.get("error").asText()).as(what).isNotBlank().doesNotContain("\n").doesNotContain("Exception");
      return;
    }
    Set<Integer> rejected = new HashSet<>();
    for (JsonNode rejection : answer.get("rejected")) {
      rejected.add(rejection.get("index").asInt());
      assertThat(rejection.get("reason").asText()).as(what).isNotBlank().doesNotContain("\n");
    }
    int parsed = push.parsedEvents(events.size());
    assertThat(answer.get("accepted").asInt() + rejected.size()).as(what).isEqualTo(parsed);
    if (parsed == events.size()) {
      for (int i = 0; i < events.size(); i++) {
        if (!rejected.contains(i)) {
          acknowledged.add((Long) events.get(i).get("txn_id"));
          acknowledgedPerCard.merge((String) events.get(i).get("card_id"), 1L, Long::sum);
        }
      }
    }
  }

  @Property(tries = 20, seed = "20261208", shrinking = net.jqwik.api.ShrinkingMode.OFF)
  void everyIngestedRowIsAcceptedOrQuarantinedWithItsReason(
      @ForAll("files") List<Map<String, Object>> rows) throws Exception {
    Path file = Files.createTempFile(repo, "ingest-", ".jsonl");
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> row : rows) {
      Map<String, Object> line = new HashMap<>(row);
      if (line.get("card_id") instanceof String card && card.startsWith("card-")) {
        line.put("card_id", "ingested-" + card); // counted offline only: batch rows reach online on materialize
      }
      line.put("txn_id", Long.MAX_VALUE / 2 + nextTxn.getAndIncrement());
      text.append(JSON.writeValueAsString(line)).append('\n');
    }
    Files.write(file, text.toString().getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes '?'
    ingestedRows.addAndGet(rows.size());
    IngestResult result = lockstep.ingest("payments", file);
    assertThat(result.accepted() + result.quarantined()).isEqualTo(rows.size());
    ingestAccepted.addAndGet(result.accepted());
    assertThat(result.quarantinedByRule().keySet()).allSatisfy(rule -> assertThat(rule).isIn("schema", "max_future"));
    try (CloseableIterator<Row> quarantined = lockstep.offlineStore().scan(Quarantine.table("payments"),
        ScanRequest.latest())) {
      quarantined.forEachRemaining(row -> assertThat((String) row.value(Quarantine.REASON)).isNotBlank());
    }
  }

  // ---------------------------------------------------------------- generators

  /** A push: its events, how they are written (array, NDJSON, one object, broken) and the content type. */
  record Push(List<Map<String, Object>> events, int shape, String contentType) {
    String body(List<Map<String, Object>> events) throws IOException {
      return switch (shape) {
        case 0 -> JSON.writeValueAsString(events);
        case 1 -> {
          StringBuilder lines = new StringBuilder();
          for (Map<String, Object> event : events) {
            lines.append(JSON.writeValueAsString(event)).append('\n');
          }
          yield lines.toString();
        }
        case 2 -> JSON.writeValueAsString(events).replace("]", ""); // truncated
        case 3 -> "[".repeat(5_000) + "]".repeat(5_000); // deeper than any parser allows
        default -> "{\"not\": [\"an\", {\"event\": " + JSON.writeValueAsString(events) + "}]}";
      };
    }

    /** How many events a server that answers 200 must have judged. */
    int parsedEvents(int events) {
      return shape <= 1 ? events : shape == 4 ? 1 : -1;
    }
  }

  @Provide
  Arbitrary<Push> pushes() {
    Arbitrary<List<Map<String, Object>>> events = event().list().ofMinSize(60).ofMaxSize(140);
    Arbitrary<Integer> shape = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(60, 0), net.jqwik.api.Tuple.of(30, 1), net.jqwik.api.Tuple.of(4, 2),
        net.jqwik.api.Tuple.of(2, 3), net.jqwik.api.Tuple.of(4, 4));
    Arbitrary<String> contentType = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(70, "application/json"), net.jqwik.api.Tuple.of(20, "application/x-ndjson"),
        net.jqwik.api.Tuple.of(5, (String) null), net.jqwik.api.Tuple.of(3, "text/plain"),
        net.jqwik.api.Tuple.of(2, "application/json; charset=latin1"));
    return Combinators.combine(events, shape, contentType).as((list, form, type) ->
        new Push(list, form == 1 && "application/json".equals(type) ? 0 : form,
            form == 1 && "application/json".equals(type) ? "application/json" : type));
  }

  @Provide
  Arbitrary<List<Map<String, Object>>> files() {
    return event().list().ofSize(1_000);
  }

  /** One event: mostly valid, every field sometimes at an extreme, of the wrong type, or missing. */
  private static Arbitrary<Map<String, Object>> event() {
    long now = System.currentTimeMillis();
    Arbitrary<Object> card = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(85, Arbitraries.integers().between(0, CARDS - 1).map(i -> (Object) ("card-" + i))),
        net.jqwik.api.Tuple.of(3, Arbitraries.just((Object) null)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().map(i -> (Object) i)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just((Object) "")),
        net.jqwik.api.Tuple.of(3, Arbitraries.strings().ofMinLength(0).ofMaxLength(300).map(s -> (Object) s)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just((Object) List.of("card-1"))))
        .flatMap(arbitrary -> arbitrary);
    Arbitrary<Object> ts = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(70, Arbitraries.longs().between(now - 86_400_000L * 30, now - 1).map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(now - 86_400_000L, now)
            .map(t -> (Object) java.time.Instant.ofEpochMilli(t).toString())),
        net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(now * 1_000_000L - 1, now * 1_000_000L).map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(now * 1_000L - 1, now * 1_000L).map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L, -62_135_596_800_001L,
            Long.MAX_VALUE / 1000, -(Long.MAX_VALUE / 1000)).map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(now + 60_000, now + 86_400_000L).map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of("yesterday", "2026-13-45T99:00:00Z", "", "2026-01-01T00:00:00")
            .map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(1.5e12, Double.NaN, 1e300).map(t -> (Object) t)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just((Object) null)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just((Object) Map.of("nested", List.of(1, 2)))))
        .flatMap(arbitrary -> arbitrary);
    Arbitrary<Object> amount = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(80, Arbitraries.doubles().between(-1e6, 1e6).map(a -> (Object) a)),
        net.jqwik.api.Tuple.of(4, Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 0.0)
            .map(a -> (Object) a)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of("NaN", "Infinity", "1e400", "12.5").map(a -> (Object) a)),
        net.jqwik.api.Tuple.of(3, Arbitraries.longs().map(a -> (Object) a)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just((Object) new java.math.BigDecimal("1e400"))),
        net.jqwik.api.Tuple.of(3, Arbitraries.just((Object) null)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just((Object) true)))
        .flatMap(arbitrary -> arbitrary);
    Arbitrary<Object> merchant = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(800, Arbitraries.integers().between(0, 500).map(m -> (Object) ("m-" + m))),
        net.jqwik.api.Tuple.of(50, Arbitraries.strings().all().ofMinLength(0).ofMaxLength(2_000).map(s -> (Object) s)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(50_000, 100_000).map(n -> (Object) "x".repeat(n))),
        net.jqwik.api.Tuple.of(30, Arbitraries.of("\u0000", "é✓\uD83D\uDE00", "line\nbreak", "\"quoted\"")
            .map(s -> (Object) s)),
        net.jqwik.api.Tuple.of(30, Arbitraries.integers().map(n -> (Object) n)),
        net.jqwik.api.Tuple.of(20, Arbitraries.just((Object) Map.of("deep", Map.of("deeper", List.of())))),
        net.jqwik.api.Tuple.of(50, Arbitraries.just((Object) null)))
        .flatMap(arbitrary -> arbitrary);
    Arbitrary<Object> items = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(80, Arbitraries.longs().between(-1_000, 1_000).map(n -> (Object) n)),
        net.jqwik.api.Tuple.of(4, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE).map(n -> (Object) n)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just((Object) new java.math.BigInteger("9223372036854775808"))),
        net.jqwik.api.Tuple.of(4, Arbitraries.of(1.5, 2.0, Double.NaN).map(n -> (Object) n)),
        net.jqwik.api.Tuple.of(4, Arbitraries.of("7", "seven").map(n -> (Object) n)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just((Object) null)))
        .flatMap(arbitrary -> arbitrary);
    Arbitrary<Integer> missing = Arbitraries.integers().between(0, 40);
    return Combinators.combine(card, ts, amount, merchant, items, missing).as((c, t, a, m, i, drop) -> {
      Map<String, Object> event = new HashMap<>();
      event.put("card_id", c);
      event.put("ts", t);
      event.put("amount", a);
      event.put("merchant", m);
      event.put("items", i);
      switch (drop) {
        case 0 -> event.remove("card_id");
        case 1 -> event.remove("ts");
        case 2 -> event.put("unknown_field", "ignored");
        default -> { }
      }
      return event;
    });
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + serving.port() + path);
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
