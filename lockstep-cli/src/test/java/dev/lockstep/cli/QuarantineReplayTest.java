package dev.lockstep.cli;

import static dev.lockstep.cli.QualityGateTest.event;
import static dev.lockstep.cli.QualityGateTest.quarantine;
import static dev.lockstep.cli.QualityGateTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.PushResult;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.quality.Quarantine;
import dev.lockstep.ops.quarantine.QuarantineFilter;
import dev.lockstep.ops.quarantine.QuarantineReplay;
import dev.lockstep.ops.quarantine.QuarantineRows;
import dev.lockstep.ops.quarantine.QuarantinedRow;
import dev.lockstep.spi.CloseableIterator;
import dev.lockstep.spi.offline.Row;
import dev.lockstep.spi.offline.ScanRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep quarantine list|show|replay} (issue #6): rows a contract quarantined, the contract
 * relaxed with {@code lockstep apply}, and a replay re-ingesting exactly those rows the way they
 * came, batch or stream; rows still failing quarantined again under the rule they fail now.
 */
class QuarantineReplayTest {
  static final String HEADER = "card_id,txn_id,ts,amount,merchant,currency";

  static final String STRICT = """
      contracts:
        - source: payments
          rules:
            - not_null: [amount]
            - range: {column: amount, min: 0, max: 1000}
            - allowed_values: {column: currency, values: [EUR, USD]}
      """;

  /** Allows larger amounts and GBP, but asks for well-formed card ids. */
  static final String RELAXED = """
      contracts:
        - source: payments
          rules:
            - not_null: [amount]
            - range: {column: amount, min: 0, max: 10000}
            - pattern: {column: card_id, regex: 'c[0-9]+'}
            - allowed_values: {column: currency, values: [EUR, USD, GBP]}
      """;

  @TempDir Path repo;

  /** A minute ago, with milliseconds, so it always prints 24 characters long. */
  private final String now = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).plusMillis(123).toString();

  @Test
  void batchRowsQuarantinedByARuleAreReplayedAfterTheContractIsRelaxed() {
    project(STRICT);
    Path file = repo.resolve("data/payments.csv");
    write(file, HEADER + "\n"
        + "c1,1," + now + ",10.0,m1,EUR\n"      // passes
        + "c2,2," + now + ",5000,m1,EUR\n"      // range; passes the relaxed contract
        + "x3,3," + now + ",2000,m1,EUR\n"      // range; fails the relaxed contract's pattern
        + "c4,4," + now + ",5,m1,GBP\n"         // allowed_values; passes the relaxed contract
        + "c5,5," + now + ",,m1,EUR\n"          // not_null, before and after
        + "c6,6," + now + ",20.0,m1,USD\n");    // passes
    assertThat(cli("ingest", "payments", file.toString()).out()).contains("2 rows accepted, 4 quarantined");

    write(repo.resolve("contracts.yaml"), RELAXED);
    assertThat(cli("apply").exitCode()).isZero();
    Cli.Result replay = cli("replay", "payments");
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out()).isEqualTo("""
        Replayed 4 quarantined rows of source 'payments': 2 accepted, 2 quarantined again
          replayed, by rule failed before: range(amount) 2, allowed_values(currency) 1, not_null(amount) 1
          quarantined again, by rule:      not_null(amount) 1, pattern(card_id) 1 (new ids; lockstep quarantine list payments)
        """);

    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(cardIds(lockstep)).containsExactly("c1", "c6", "c2", "c4");
      List<Row> rows = quarantine(lockstep, "payments");
      assertThat(rows).extracting(Row::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      Row again = rows.get(4);
      assertThat(again.value(Quarantine.RULE)).isEqualTo("pattern(card_id)");
      assertThat(again.value(Quarantine.RAW)).isEqualTo("x3,3," + now + ",2000,m1,EUR");
      assertThat(again.value(Quarantine.ORIGIN)).isEqualTo("ingest");
      assertThat(again.value(Quarantine.HEADER)).isEqualTo(HEADER);
      assertThat((String) again.value(Quarantine.POSITION))
          .startsWith(lockstep.dataDirectory().resolve("quarantine-replays/payments-1-4-").toString()).endsWith(".csv");
      assertThat(rows.get(5).value(Quarantine.RULE)).isEqualTo("not_null(amount)");

      QuarantineRows.Listing pending = QuarantineRows.list(lockstep, "payments", QuarantineFilter.pending());
      assertThat(pending.rows()).extracting(QuarantinedRow::id).containsExactly(5L, 6L);
      assertThat(pending.replayedHidden()).isEqualTo(4);
      QuarantineRows.Listing all = QuarantineRows.list(lockstep, "payments", QuarantineFilter.pending().withReplayed(true));
      assertThat(all.rows()).extracting(QuarantinedRow::status).containsExactly(
          "accepted", "quarantined again", "accepted", "quarantined again", "pending", "pending");
      assertThat(all.byRule()).containsOnly(Map.entry("range(amount)", 2L), Map.entry("allowed_values(currency)", 1L),
          Map.entry("not_null(amount)", 2L), Map.entry("pattern(card_id)", 1L));
    }

    Cli.Result list = cli("list", "payments", "--all");
    assertThat(list.out()).contains("STATUS").contains("quarantined again").contains("6 rows:");
    assertThat(cli("list", "payments").out()).contains("2 rows pending replay (4 replayed rows hidden; --all lists them):");

    // the replayed rows are not taken again
    assertThat(cli("replay", "payments", "--rule", "range").out())
        .isEqualTo("No quarantined rows of source 'payments' failed rule range pending replay; nothing replayed.\n");
    assertThat(cli("replay", "payments", "--id", "2", "--id", "4").out())
        .isEqualTo("No quarantined rows of source 'payments' pending replay among the ids given; nothing replayed.\n");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(cardIds(lockstep)).hasSize(4);
      assertThat(quarantine(lockstep, "payments")).hasSize(6);
    }
  }

  @Test
  void pushedRowsAreStreamedBackAndServedOnline() throws Exception {
    project(STRICT);
    long ts = System.currentTimeMillis() - 1_000;
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.online().startStreaming();
      PushResult pushed = lockstep.online().client().push("payments", List.of(
          event("c1", 1, ts, 10.0, "EUR"),
          event("c1", 2, ts, 5000.0, "EUR"),
          event("c1", 3, ts, 7.0, "GBP"),
          event("c1", 4, ts, null, "EUR")));
      assertThat(pushed.accepted()).isEqualTo(1);
    }
    write(repo.resolve("contracts.yaml"), RELAXED);
    assertThat(cli("apply").exitCode()).isZero();

    Cli.Result replay = cli("replay", "payments");
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out()).startsWith(
        "Replayed 3 quarantined rows of source 'payments': 2 accepted, 1 quarantined again\n");

    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.online().startStreaming();
      lockstep.online().awaitApplied(Duration.ofSeconds(30));
      var vector = lockstep.online().client().features(FeatureRequest.forService("scoring", Map.of("card_id", "c1")));
      assertThat(vector.value("card_life__txn_count")).isEqualTo(3L);
      assertThat(vector.value("card_life__amount_sum")).isEqualTo(5017.0);
      List<Row> rows = quarantine(lockstep, "payments");
      assertThat(rows).extracting(row -> row.value(Quarantine.ORIGIN)).containsOnly("push");
      assertThat(rows).extracting(row -> row.value(Quarantine.RULE))
          .containsExactly("range(amount)", "allowed_values(currency)", "not_null(amount)", "not_null(amount)");
      assertThat((String) rows.get(3).value(Quarantine.RAW)).contains("\"txn_id\":4");
    }
    // nothing is pending but the row quarantined again; with --rule for the others, nothing is replayed
    assertThat(cli("replay", "payments", "--rule", "allowed_values").out())
        .startsWith("No quarantined rows of source 'payments' failed rule allowed_values pending replay");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(QuarantineReplay.replay(lockstep, "payments", QuarantineFilter.pending().withRule("range")).replayed())
          .isZero();
      assertThat(cardIds(lockstep)).hasSize(3);
    }
  }

  @Test
  void csvRowsReplayWithTheHeaderOfTheirFile() throws Exception {
    project(STRICT);
    Path first = repo.resolve("data/first.csv");
    write(first, HEADER + "\nc1,1," + now + ",5000,\"Shop, Inc\",EUR\n");
    Path second = repo.resolve("data/second.csv");
    write(second, "currency,merchant,amount,ts,txn_id,card_id\n"
        + "EUR,\"Say \"\"hi\"\"\",3000," + now + ",2,c2\n"
        + "GBP,m,1," + now + ",3,c3\n");
    cli("ingest", "payments", first.toString(), second.toString());
    write(repo.resolve("contracts.yaml"), RELAXED);
    cli("apply");

    assertThat(cli("replay", "payments").out())
        .startsWith("Replayed 3 quarantined rows of source 'payments': 3 accepted, 0 quarantined again\n");
    try (Lockstep lockstep = Lockstep.open(repo)) {
      List<Row> rows = tableRows(lockstep);
      assertThat(rows).extracting(row -> row.values().subList(0, 5)).containsExactly(
          List.of("c1", 1L, 5000.0, "Shop, Inc", "EUR"),
          List.of("c2", 2L, 3000.0, "Say \"hi\"", "EUR"),
          List.of("c3", 3L, 1.0, "m", "GBP"));
      try (var files = Files.list(lockstep.dataDirectory().resolve(QuarantineReplay.DIRECTORY))) {
        List<String> texts = files.sorted().map(QuarantineReplayTest::read).toList();
        assertThat(texts).containsExactlyInAnyOrder(
            HEADER + "\nc1,1," + now + ",5000,\"Shop, Inc\",EUR\n",
            "currency,merchant,amount,ts,txn_id,card_id\nEUR,\"Say \"\"hi\"\"\",3000," + now + ",2,c2\nGBP,m,1,"
                + now + ",3,c3\n");
      }
    }
  }

  @Test
  void listAndShowPrintASmallQuarantineExactly() {
    project(STRICT);
    Path file = repo.resolve("data/small.csv");
    write(file, HEADER + "\nc1,1," + now + ",5000,m1,EUR\nc2,2," + now + ",7,m1,JPY\n");
    cli("ingest", "payments", file.toString());
    String at;
    try (Lockstep lockstep = Lockstep.open(repo)) {
      at = QuarantineRows.show(lockstep.offlineStore(), "payments", 1).quarantinedAt().toString();
    }
    String second = at.substring(0, 19) + "Z";
    assertThat(cli("list", "payments").out()).isEqualTo(
        "ID  QUARANTINED AT        ORIGIN  POSITION:ROW      RULE                      REASON"
            + "                                            RAW\n"
            + " 1  " + second + "  ingest  data/small.csv:1  range(amount)             column 'amount': 5000.0 is above"
            + " the maximum ...  c1,1," + now + ",5000,m1...\n"
            + " 2  " + second + "  ingest  data/small.csv:2  allowed_values(currency)  column 'currency': 'JPY' is not"
            + " an allowed va...  c2,2," + now + ",7,m1,JPY\n"
            + "2 rows pending replay:\n"
            + "  allowed_values(currency)  1\n"
            + "  range(amount)             1\n");
    assertThat(cli("list", "payments", "--limit", "1", "--rule", "allowed_values").out())
        .contains(" 2  " + second).doesNotContain(" 1  " + second)
        .endsWith("1 row pending replay:\n  allowed_values(currency)  1\n");
    assertThat(cli("list", "payments", "--limit", "1").out())
        .endsWith("2 rows pending replay; the newest 1 listed (--limit):\n"
            + "  allowed_values(currency)  1\n  range(amount)             1\n");
    assertThat(cli("show", "payments", "2").out()).isEqualTo(
        "id              2\n"
            + "quarantined at  " + at + "\n"
            + "origin          ingest\n"
            + "position        " + file + "\n"
            + "row             2\n"
            + "rule            allowed_values(currency)\n"
            + "reason          column 'currency': 'JPY' is not an allowed value (EUR, USD)\n"
            + "status          pending replay\n"
            + "header          " + HEADER + "\n"
            + "raw             c2,2," + now + ",7,m1,JPY\n");
    assertThat(cli("show", "payments", "2", "--json").out()).contains("\"rule\" : \"allowed_values(currency)\"")
        .contains("\"status\" : \"pending\"").contains("\"replayed_at\" : null");
    assertThat(cli("list", "payments", "--json").out()).contains("\"matched\" : 2").contains("\"omitted\" : 0");
  }

  @Test
  void errorsAndAnEmptyQuarantineSayWhatToDo() throws Exception {
    project(STRICT);
    assertThat(cli("list", "payments")).isEqualTo(
        new Cli.Result(0, "No quarantined rows of source 'payments' pending replay.\n", ""));
    assertThat(cli("replay", "payments")).isEqualTo(
        new Cli.Result(0, "No quarantined rows of source 'payments' pending replay; nothing replayed.\n", ""));
    assertThat(cli("list", "nope")).isEqualTo(new Cli.Result(1, "", "lockstep: Cannot find source 'nope' in the"
        + " registry (sources: [payments]; add it to the repository and run lockstep apply)\n"));
    assertThat(cli("show", "payments", "9")).isEqualTo(new Cli.Result(1, "", "lockstep: Cannot show quarantined row 9"
        + " of source 'payments': there is no such row, its quarantine is empty (list them with lockstep quarantine"
        + " list payments --all)\n"));
    assertThat(cli("list", "payments", "--limit", "0")).isEqualTo(new Cli.Result(1, "", "lockstep: Cannot list"
        + " quarantined rows: the limit is 0 (give 1 or more)\n"));

    long ts = System.currentTimeMillis() - 1_000;
    try (Lockstep server = Lockstep.open(repo)) {
      server.online().startStreaming();
      server.online().client().push("payments", List.of(event("c1", 1, ts, -1.0, "EUR")));
      assertThat(cli("replay", "payments", "--id", "7")).isEqualTo(new Cli.Result(1, "", "lockstep: Cannot replay"
          + " quarantined row 7 of source 'payments': there is no such row, its quarantine holds ids 1 to 1 (list them"
          + " with lockstep quarantine list payments --all)\n"));
      // the test's runtime holds the online store, as lockstep serve would
      Cli.Result elsewhere = cli("replay", "payments");
      assertThat(elsewhere.exitCode()).isEqualTo(1);
      assertThat(elsewhere.err()).startsWith("lockstep: Cannot replay the streamed rows of source 'payments': this"
          + " process cannot stream, another one probably serves the project (")
          .endsWith("); run the replay on the server instead: curl -X POST"
              + " http://HOST:PORT/v1/quarantine/payments/replay\n")
          .hasLineCount(1);
      assertThat(QuarantineRows.list(server, "payments", QuarantineFilter.pending()).matched()).isEqualTo(1);

      // on the server itself, the entry point uses the running stream (the row still fails the contract)
      QuarantineReplay.Result result = QuarantineReplay.replay(server, "payments", QuarantineFilter.pending());
      assertThat(result.toMap()).containsEntry("replayed", 1L).containsEntry("accepted", 0L)
          .containsEntry("quarantined_again", 1L);
    }
  }

  private void project(String contract) {
    write(repo.resolve("features.yaml"), QualityGateTest.DEFINITIONS);
    write(repo.resolve("contracts.yaml"), contract);
    Cli.Result apply = cli("apply");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
  }

  /** Runs {@code lockstep quarantine ARGS} on the test's repository; apply and ingest without the prefix. */
  private Cli.Result cli(String... args) {
    List<String> line = new ArrayList<>(List.of("-C", repo.toString()));
    if (!List.of("apply", "ingest").contains(args[0])) {
      line.add("quarantine");
    }
    line.addAll(List.of(args));
    return Cli.run(line.toArray(String[]::new));
  }

  private static List<String> cardIds(Lockstep lockstep) {
    return tableRows(lockstep).stream().map(row -> (String) row.value(0)).toList();
  }

  private static List<Row> tableRows(Lockstep lockstep) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> scan = lockstep.offlineStore().scan("payments", ScanRequest.latest())) {
      scan.forEachRemaining(rows::add);
    }
    rows.sort(Comparator.comparingLong(Row::sequence));
    return rows;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
