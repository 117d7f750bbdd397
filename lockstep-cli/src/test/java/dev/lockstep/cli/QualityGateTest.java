package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.ingest.IngestResult;
import dev.lockstep.core.quality.BreakerOpenException;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data contracts as a user declares them in YAML: every rule kind on the batch path (ingest) and
 * the stream path (push, tail), the quarantine rows they write, and the circuit breaker.
 */
class QualityGateTest {
  static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: csv
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, txn_id: long, amount: double, merchant: string, currency: string}
      feature_views:
        - name: card_life
          source: payments
          features:
            - {name: txn_count, aggregation: count, window: lifetime}
            - {name: amount_sum, aggregation: sum, column: amount, window: lifetime}
      feature_services:
        - name: scoring
          features: [card_life:txn_count, card_life:amount_sum]
      """;

  static final String CONTRACT = """
      contracts:
        - source: payments
          rules:
            - not_null: [amount]
            - range: {column: amount, min: 0, max: 1000}
            - allowed_values: {column: currency, values: [EUR, USD]}
            - pattern: {column: card_id, regex: 'c[0-9]+'}
            - unique: [txn_id]
            - freshness: 30d
      """;

  @TempDir Path repo;

  @Test
  void everyRuleKindQuarantinesFailingRowsOfABatchIngestWithRulePositionAndRawRow() throws IOException {
    write(repo.resolve("features.yaml"), DEFINITIONS);
    write(repo.resolve("contracts.yaml"), CONTRACT);
    String now = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    String old = Instant.now().minus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    Path file = repo.resolve("data/payments.csv");
    write(file, "card_id,txn_id,ts,amount,merchant,currency\n"
        + "c1,1," + now + ",10.0,m1,EUR\n"          // 1 passes
        + "c2,2," + now + ",,m1,EUR\n"              // 2 not_null(amount)
        + "c3,3," + now + ",-5,m1,EUR\n"            // 3 range(amount), below
        + "c4,4," + now + ",5000,m1,USD\n"          // 4 range(amount), above
        + "c5,5," + now + ",1.0,m1,GBP\n"           // 5 allowed_values(currency)
        + "x6,6," + now + ",1.0,m1,EUR\n"           // 6 pattern(card_id)
        + "c7,1," + now + ",1.0,m1,EUR\n"           // 7 unique(txn_id): the same as row 1
        + "c8,8," + old + ",1.0,m1,EUR\n"           // 8 freshness
        + "c9,abc," + now + ",1.0,m1,EUR\n"         // 9 schema
        + "c10,10," + now + ",2.5,m2,USD\n");       // 10 passes
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      IngestResult result = lockstep.ingest("payments", file);
      assertThat(result.accepted()).isEqualTo(2);
      assertThat(result.quarantined()).isEqualTo(8);
      assertThat(result.quarantinedByRule()).containsOnly(
          Map.entry("not_null(amount)", 1L), Map.entry("range(amount)", 2L),
          Map.entry("allowed_values(currency)", 1L), Map.entry("pattern(card_id)", 1L),
          Map.entry("unique(txn_id)", 1L), Map.entry("freshness", 1L), Map.entry("schema", 1L));
      // Deequ's metrics over the 9 rows that fit the schema (row 9 does not)
      assertThat(result.metrics()).containsEntry("rows", 10L).containsEntry("schema_compliance", 0.9);
      @SuppressWarnings("unchecked")
      Map<String, Map<Object, Object>> metrics = (Map<String, Map<Object, Object>>) result.metrics().get("rules");
      assertThat(metrics.get("not_null(amount)")).containsEntry("metric", "completeness")
          .containsEntry("value", 1 - 1.0 / 9).containsEntry("failed", 1L);
      assertThat(metrics.get("range(amount)")).containsEntry("metric", "compliance")
          .containsEntry("value", 1 - 2.0 / 9);
      assertThat(metrics.get("freshness")).containsEntry("value", 1 - 1.0 / 9);
      // rows 1, 7 and 10 reach the uniqueness rule with txn_id 1, 1, 10: only 10 occurs once
      assertThat(metrics.get("unique(txn_id)")).containsEntry("metric", "uniqueness")
          .containsEntry("value", 1.0 / 3).containsEntry("distinctness", 2.0 / 3).containsEntry("failed", 1L);
      List<Row> rows = quarantine(lockstep, "payments");
      assertThat(rows).extracting(row -> row.value(Quarantine.ROW)).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(rows).extracting(row -> row.value(Quarantine.RULE)).containsExactly("not_null(amount)",
          "range(amount)", "range(amount)", "allowed_values(currency)", "pattern(card_id)", "unique(txn_id)",
          "freshness", "schema");
      assertThat(rows).extracting(row -> row.value(Quarantine.REASON)).startsWith(
          "column 'amount' is null",
          "column 'amount': -5.0 is below the minimum 0",
          "column 'amount': 5000.0 is above the maximum 1000",
          "column 'currency': 'GBP' is not an allowed value (EUR, USD)",
          "column 'card_id': 'x6' does not match c[0-9]+",
          "the same txn_id as row 1 (1)");
      assertThat((String) rows.get(6).value(Quarantine.REASON)).matches("the event at .* is 40(\\.0)?d old at ingest \\(at most 30d\\)");
      assertThat((String) rows.get(7).value(Quarantine.REASON)).contains("'abc' is not a long");
      assertThat(rows).extracting(row -> row.value(Quarantine.POSITION)).containsOnly(file.toString());
      assertThat(rows).extracting(row -> row.value(Quarantine.ORIGIN)).containsOnly("ingest");
      assertThat(rows).extracting(row -> row.value(Quarantine.HEADER)).containsOnly("card_id,txn_id,ts,amount,merchant,currency");
      assertThat(rows.get(3).value(Quarantine.RAW)).isEqualTo("c5,5," + now + ",1.0,m1,GBP");
      assertThat(tableRows(lockstep, "payments")).isEqualTo(2);
    }
  }

  @Test
  void aFileOutsideTheVolumeBoundsIsRefusedWholeAndAppendsNothing() {
    write(repo.resolve("features.yaml"), DEFINITIONS);
    write(repo.resolve("contracts.yaml"), """
        contracts:
          - source: payments
            rules:
              - volume: {min: 3, max: 5}
              - not_null: [amount]
        """);
    String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    Path small = repo.resolve("small.csv");
    write(small, "card_id,txn_id,ts,amount,merchant,currency\nc1,1," + now + ",1,m,EUR\nc2,2," + now + ",,m,EUR\n");
    Path big = repo.resolve("big.csv");
    StringBuilder rows = new StringBuilder("card_id,txn_id,ts,amount,merchant,currency\n");
    for (int i = 0; i < 6; i++) {
      rows.append("c").append(i).append(',').append(i).append(',').append(now).append(",1,m,EUR\n");
    }
    write(big, rows.toString());
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      assertThatThrownBy(() -> lockstep.ingest("payments", small))
          .isInstanceOf(LockstepException.class)
          .hasMessage("Cannot ingest " + small + " into source 'payments': 2 rows, the contract expects at least 3"
              + " (volume); nothing was appended; 1 failing rows are in payments__quarantine (fix the file or the"
              + " contract's volume rule, then ingest again)");
      assertThatThrownBy(() -> lockstep.ingest("payments", big))
          .hasMessageContaining("6 rows, the contract expects at most 5 (volume); nothing was appended (fix");
      assertThat(tableRows(lockstep, "payments")).isZero();
      assertThat(quarantine(lockstep, "payments")).extracting(row -> row.value(Quarantine.RULE))
          .containsExactly("not_null(amount)");
    }
  }

  /**
   * An event dated further ahead of its ingest than the source's max_future is quarantined under
   * rule max_future with the same reason whether it is pushed or ingested by {@code lockstep ingest};
   * one within the bound passes both ways.
   */
  @Test
  void anEventDatedBeyondMaxFutureIsQuarantinedAlikeByPushAndByIngest() throws Exception {
    write(repo.resolve("features.yaml"), DEFINITIONS.replace("event_time: ts\n", "event_time: ts\n    max_future: 1m\n"));
    assertThat(Files.readString(repo.resolve("features.yaml"))).contains("max_future: 1m");
    long now = System.currentTimeMillis();
    long ahead = now + Duration.ofMinutes(3).toMillis();
    long within = now + Duration.ofSeconds(30).toMillis();
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.online().startStreaming();
      PushResult pushed = lockstep.online().client().push("payments", List.of(
          event("c1", 1, ahead, 1.0, "EUR"), event("c2", 2, within, 2.0, "EUR")));
      assertThat(pushed.accepted()).isEqualTo(1);
      assertThat(pushed.rejected()).singleElement().satisfies(rejection -> assertThat(rejection.reason())
          .matches("max_future: " + futureReason(ahead)));
    }
    Path file = repo.resolve("data/payments.csv");
    write(file, "card_id,txn_id,ts,amount,merchant,currency\n"
        + "c3,3," + Instant.ofEpochMilli(ahead) + ",3.0,m1,EUR\n"
        + "c4,4," + Instant.ofEpochMilli(within) + ",4.0,m1,EUR\n");
    Cli.Result ingest = Cli.run("-C", repo.toString(), "ingest", "payments", file.toString());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(ingest.out()).contains(": 1 rows accepted, 1 quarantined in payments__quarantine {max_future=1}");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      List<Row> rows = quarantine(lockstep, "payments");
      assertThat(rows).extracting(row -> row.value(Quarantine.RULE)).containsExactly("max_future", "max_future");
      assertThat(rows).extracting(row -> row.value(Quarantine.ORIGIN)).containsExactly("push", "ingest");
      assertThat(rows).extracting(row -> (String) row.value(Quarantine.REASON))
          .allSatisfy(reason -> assertThat(reason).matches(futureReason(ahead)));
      assertThat(rows.get(1).value(Quarantine.RAW)).isEqualTo("c3,3," + Instant.ofEpochMilli(ahead) + ",3.0,m1,EUR");
    }
  }

  /** The reason of an event dated about three minutes ahead, as a regular expression. */
  private static String futureReason(long eventTime) {
    return "the event at " + java.util.regex.Pattern.quote(Instant.ofEpochMilli(eventTime).toString())
        + " is dated (2\\.\\d|3)m after its ingest at \\S+ \\(at most 1m ahead: fix the producer's clock or timestamp"
        + " unit, or raise max_future on source payments\\)";
  }

  @Test
  void everyRowRuleJudgesPushedAndTailedEvents() throws Exception {
    write(repo.resolve("features.yaml"), DEFINITIONS);
    write(repo.resolve("contracts.yaml"), CONTRACT);
    long now = System.currentTimeMillis() - 1_000;
    long old = now - Duration.ofDays(31).toMillis();
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.online().startStreaming();
      PushResult result = lockstep.online().client().push("payments", List.of(
          event("c1", 1, now, 10.0, "EUR"),
          event("c2", 2, now, null, "EUR"),
          event("c3", 3, now, -1.0, "EUR"),
          event("c4", 4, now, 1.0, "JPY"),
          event("zz", 5, now, 1.0, "EUR"),
          event("c6", 6, old, 1.0, "EUR"),
          Map.of("card_id", "c7", "txn_id", "seven", "ts", now),
          event("c1", 8, now, 5.0, "USD")));
      assertThat(result.accepted()).isEqualTo(2);
      assertThat(result.rejected()).extracting(PushResult.Rejection::index).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(result.rejected()).extracting(rejection -> rejection.reason().substring(0, rejection.reason().indexOf(':')))
          .containsExactly("not_null(amount)", "range(amount)", "allowed_values(currency)", "pattern(card_id)",
              "freshness", "schema");
      Path live = repo.resolve("live.jsonl");
      write(live, "{\"card_id\": \"c9\", \"txn_id\": 9, \"ts\": " + now + ", \"amount\": 2000.0, \"currency\": \"EUR\"}\n"
          + "{\"card_id\": \"c9\", \"txn_id\": 10, \"ts\": " + now + ", \"amount\": 20.0, \"currency\": \"EUR\"}\n");
      lockstep.online().tail("payments", live);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (lockstep.online().metrics().sources().getOrDefault("payments", Map.of()).getOrDefault("judged", 0L) < 10
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      lockstep.online().awaitApplied(Duration.ofSeconds(30));
      assertThat(lockstep.online().client().features(FeatureRequest.forService("scoring", Map.of("card_id", "c1")))
          .value("card_life__amount_sum")).isEqualTo(15.0);
      assertThat(lockstep.online().metrics().sources().get("payments"))
          .containsEntry("judged", 10L).containsEntry("quarantined", 7L);
      // 9 of the 10 fit the schema; 2 of those 9 are outside the range (-1 pushed, 2000 tailed)
      Map<?, ?> quality = (Map<?, ?>) ((Map<?, ?>) lockstep.online().status().get("payments")).get("quality");
      assertThat(quality.get("schema_compliance")).isEqualTo(0.9);
      assertThat(((Map<?, ?>) ((Map<?, ?>) quality.get("rules")).get("range(amount)")).get("value"))
          .isEqualTo(1 - 2.0 / 9);
      List<Row> rows = quarantine(lockstep, "payments");
      assertThat(rows).extracting(row -> row.value(Quarantine.ORIGIN))
          .containsExactly("push", "push", "push", "push", "push", "push", "tail");
      assertThat(rows.get(6).value(Quarantine.RULE)).isEqualTo("range(amount)");
      assertThat(rows.get(6).value(Quarantine.POSITION)).isEqualTo(live.toString());
      assertThat((String) rows.get(0).value(Quarantine.RAW)).contains("\"card_id\":\"c2\"").contains("\"amount\":null");
    }
  }

  @Test
  void aBreakerTripsOnTheFailureRateRefusesIngestsUntilResetAndLosesNoAcknowledgedEvent() throws Exception {
    breakerProject(repo, 0.25, 8);
    long now = System.currentTimeMillis() - 1_000;
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      lockstep.online().startStreaming();
      var client = lockstep.online().client();
      // 1 bad of 6: under min_rows; then 1 bad of 4 more: 2 of 10 = 20%, under 25%
      assertThat(client.push("payments", batch("c1", 5, 1, now)).accepted()).isEqualTo(5);
      assertThat(client.push("payments", batch("c1", 3, 1, now)).accepted()).isEqualTo(3);
      lockstep.online().awaitApplied(Duration.ofSeconds(30));
      // 3 bad of 4 more: 5 of 14 = 36%: the breaker opens, this batch is refused (not acknowledged)
      assertThatThrownBy(() -> client.push("payments", batch("c1", 1, 3, now)))
          .isInstanceOf(BreakerOpenException.class)
          .hasMessageStartingWith("Cannot accept events (3 of the 4 just received failed): the circuit breaker of"
              + " source 'payments' is open since ")
          .hasMessageContaining("(5 of 14 rows failed the contract in the last 10m (35.7%, at most 25.0% allowed));"
              + " inspect the rows with lockstep quarantine list payments");
      assertThatThrownBy(() -> client.push("payments", batch("c1", 1, 0, now)))
          .isInstanceOf(BreakerOpenException.class);
      Path good = repo.resolve("good.csv");
      write(good, "card_id,txn_id,ts,amount,merchant,currency\nc2,1," + Instant.ofEpochMilli(now) + ",1,m,EUR\n");
      assertThatThrownBy(() -> lockstep.ingest("payments", good))
          .isInstanceOf(BreakerOpenException.class)
          .hasMessageContaining("Cannot ingest " + good + " into source 'payments': the circuit breaker");
      assertThat(lockstep.breakers().state("payments").open()).isTrue();

      lockstep.breakers().reset("payments", "test");
      assertThat(client.push("payments", batch("c1", 2, 0, now)).accepted()).isEqualTo(2);
      lockstep.online().awaitApplied(Duration.ofSeconds(30));
      // every acknowledged event is served: 5 + 3 + 2 (the refused batch was never acknowledged)
      assertThat(client.features(FeatureRequest.forService("scoring", Map.of("card_id", "c1")))
          .value("card_life__txn_count")).isEqualTo(10L);
      assertThat(lockstep.ingest("payments", good).accepted()).isEqualTo(1);
    }
  }

  @Test
  void theBreakerWindowSpansIngestsMadeBySeparateProcesses() {
    breakerProject(repo, 0.5, 8);
    String ts = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    Path first = repo.resolve("first.csv");
    Path second = repo.resolve("second.csv");
    write(first, "card_id,txn_id,ts,amount,merchant,currency\n"
        + "c1,1," + ts + ",1,m,EUR\nc1,2," + ts + ",-1,m,EUR\nc1,3," + ts + ",-1,m,EUR\nc1,4," + ts + ",-1,m,EUR\n");
    write(second, "card_id,txn_id,ts,amount,merchant,currency\n"
        + "c2,1," + ts + ",1,m,EUR\nc2,2," + ts + ",1,m,EUR\nc2,3," + ts + ",-1,m,EUR\nc2,4," + ts + ",-1,m,EUR\n");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      // 3 of 4 failed, but 4 rows are under min_rows: appended
      assertThat(lockstep.ingest("payments", first).accepted()).isEqualTo(1);
    }
    try (Lockstep lockstep = Lockstep.open(repo)) {
      // another process: its 2 of 4 with the first file's 3 of 4 make 5 of 8 in the window
      assertThatThrownBy(() -> lockstep.ingest("payments", second))
          .isInstanceOf(BreakerOpenException.class)
          .hasMessageContaining("this file opened the source's circuit breaker (5 of 8 rows failed the contract in"
              + " the last 10m (62.5%, at most 50.0% allowed)); nothing was appended; 2 failing rows are in"
              + " payments__quarantine");
      assertThat(tableRows(lockstep, "payments")).isEqualTo(1);
      var runs = dev.lockstep.core.quality.QualityRuns.since(lockstep.offlineStore(), "payments", Instant.EPOCH);
      assertThat(runs).extracting(run -> run.outcome()).containsExactly("appended", "refused: circuit breaker");
      assertThat(runs).extracting(run -> run.failed()).containsExactly(3L, 2L);
      assertThat(runs.get(0).metrics()).containsEntry("rows", 4);
    }
  }

  @Test
  void anOpenBreakerPausesTheApplierAndAResetAppliesWhatWasAcknowledged() throws Exception {
    breakerProject(repo, 0.5, 2);
    long now = System.currentTimeMillis() - 1_000;
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      var online = lockstep.online();
      online.startStreaming();
      var client = online.client();
      assertThat(client.push("payments", batch("c1", 4, 0, now)).accepted()).isEqualTo(4);
      online.awaitApplied(Duration.ofSeconds(30));
      // 3 good events acknowledged in a first call, then the breaker opens on a bad batch
      assertThat(client.push("payments", batch("c1", 3, 0, now)).accepted()).isEqualTo(3);
      assertThatThrownBy(() -> client.push("payments", batch("c1", 0, 9, now))).isInstanceOf(BreakerOpenException.class);
      Thread.sleep(300);
      long served = (Long) client.features(FeatureRequest.forService("scoring", Map.of("card_id", "c1")))
          .value("card_life__txn_count");
      assertThat(served).isBetween(4L, 7L);
      lockstep.breakers().reset("payments", "test");
      online.awaitApplied(Duration.ofSeconds(30));
      assertThat(client.features(FeatureRequest.forService("scoring", Map.of("card_id", "c1")))
          .value("card_life__txn_count")).isEqualTo(7L);
    }
  }

  /**
   * Writes a project whose source {@code payments} has one rule, {@code amount >= 0}, and a breaker
   * tripping at {@code rate} over 10 minutes once {@code minRows} rows were judged.
   */
  static void breakerProject(Path repo, double rate, int minRows) {
    write(repo.resolve("features.yaml"), DEFINITIONS);
    write(repo.resolve("contracts.yaml"), """
        contracts:
          - source: payments
            rules:
              - range: {column: amount, min: 0}
            circuit_breaker: {max_failure_rate: %s, interval: 10m, min_rows: %d}
        """.formatted(rate, minRows));
  }

  static List<Map<String, Object>> batch(String card, int good, int bad, long ts) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < good + bad; i++) {
      events.add(event(card, i, ts, i < good ? 1.0 : -1.0, "EUR"));
    }
    return events;
  }

  static Map<String, Object> event(String card, long txn, long ts, Double amount, String currency) {
    Map<String, Object> event = new HashMap<>();
    event.put("card_id", card);
    event.put("txn_id", txn);
    event.put("ts", ts);
    event.put("amount", amount);
    event.put("merchant", "m");
    event.put("currency", currency);
    return event;
  }

  static List<Row> quarantine(Lockstep lockstep, String source) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> scan = lockstep.offlineStore().scan(Quarantine.table(source), ScanRequest.latest())) {
      scan.forEachRemaining(rows::add);
    }
    rows.sort(Comparator.comparingLong(Row::sequence));
    return rows;
  }

  static long tableRows(Lockstep lockstep, String table) {
    long count = 0;
    try (CloseableIterator<Row> scan = lockstep.offlineStore().scan(table, ScanRequest.latest())) {
      while (scan.hasNext()) {
        scan.next();
        count++;
      }
    }
    return count;
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
