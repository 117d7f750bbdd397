package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.core.Lockstep;
import dev.lockstep.core.online.materialize.MaterializeListener;
import dev.lockstep.core.online.materialize.MaterializeOptions;
import dev.lockstep.core.online.OnlineRuntime;
import dev.lockstep.spi.offline.Column;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source gains a column: {@code plan} shows it, {@code apply} gives the Iceberg table the new
 * column at once, the next ingest takes files that have it, and older rows read null in it — in
 * training sets and online alike. Changes the table cannot take (a dropped column, a changed type)
 * are refused at {@code plan}, with the column and the reason.
 */
class SchemaEvolutionTest {
  private static final String CHANNEL_VIEW = """

      feature_views:
        - name: card_channel
          source: payments
          features:
            - {name: last_channel, latest: channel}
      feature_services:
        - name: channel_model
          features: [card_channel:last_channel, card_txn:txn_count_5m]
      """;

  @TempDir Path repo;

  @Test
  void anAddedColumnReachesTheTableAtApplyAndOlderRowsReadNull() throws Exception {
    ReplayParityTest.copyFraudExample(repo);
    Path data = repo.resolve("data");
    assertThat(Cli.run("generate-payments", "--events", "1000", "--out", data.toString()).exitCode()).isZero();
    assertThat(Cli.run("-C", repo.toString(), "apply").exitCode()).isZero();
    assertThat(Cli.run("-C", repo.toString(), "ingest", "payments").exitCode()).isZero();
    List<String> cards = ReplayParityTest.cards(data.resolve("payments.csv"));

    Path card = repo.resolve("card.yaml");
    String declared = Files.readString(card);
    Files.writeString(card, declared.replace("      amount: double\n", "      amount: double\n      channel: string\n")
        + CHANNEL_VIEW);
    Cli.Result plan = Cli.run("-C", repo.toString(), "plan");
    assertThat(plan.exitCode()).as(plan.out()).isZero();
    assertThat(plan.out()).contains("~ source payments adds column channel string");
    Cli.Result apply = Cli.run("-C", repo.toString(), "apply");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(lockstep.offlineStore().schema("payments").columns()).extracting(Column::name)
          .containsExactly("card_id", "amount", "channel", "merchant", "items");
      assertThat(lockstep.offlineStore().schema("payments").column("channel"))
          .isEqualTo(Column.nullable("channel", ValueType.STRING));
    }

    String newCard = "card-new-1";
    String oldCard = cards.get(0);
    Path later = data.resolve("later.csv");
    Files.writeString(later, "card_id,ts,amount,channel,merchant,items\n"
        + newCard + ",2026-11-01T10:00:00Z,5.0,web,m-1,1\n");
    Cli.Result ingest = Cli.run("-C", repo.toString(), "ingest", "payments", later.toString());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(ingest.out()).contains(": 1 rows accepted");

    Path spine = repo.resolve("spine.csv");
    Files.writeString(spine, "card_id,ts\n" + oldCard + ",2027-01-01T00:00:00Z\n" + newCard + ",2027-01-01T00:00:00Z\n");
    Cli.Result training = Cli.run("-C", repo.toString(), "training-set", "--service", "channel_model", "--spine",
        spine.toString(), "--out", repo.resolve("ts").toString(), "--quiet");
    assertThat(training.exitCode()).as(training.err()).isZero();
    try (DuckDb duckDb = new DuckDb()) {
      assertThat(duckDb.rows("SELECT card_channel__last_channel FROM "
          + DuckDb.parquet(repo.resolve("ts/part-00000.parquet")))).containsExactly(
              java.util.Collections.singletonList(null), List.of("web"));
    }

    try (Lockstep lockstep = Lockstep.open(repo)) {
      OnlineRuntime online = lockstep.online();
      online.materialize(MaterializeOptions.defaults(), MaterializeListener.QUIET);
      FeatureVector old = online.client().features(FeatureRequest.forService("channel_model", Map.of("card_id", oldCard)));
      FeatureVector fresh = online.client().features(FeatureRequest.forService("channel_model", Map.of("card_id", newCard)));
      assertThat(old.value("card_channel__last_channel")).isNull();
      assertThat(fresh.value("card_channel__last_channel")).isEqualTo("web");
    }

    // what the table cannot take is refused before anything is applied
    String evolved = Files.readString(card);
    Files.writeString(card, declared); // channel gone again, with the view and service reading it
    Cli.Result dropped = Cli.run("-C", repo.toString(), "plan");
    assertThat(dropped.exitCode()).as(dropped.err()).isEqualTo(1);
    assertThat(dropped.out()).contains("Cannot change source 'payments': column 'channel' is dropped (an offline table"
        + " keeps every column its rows hold); declare a new source for the new shape");
    Files.writeString(card, evolved.replace("      amount: double\n", "      amount: long\n"));
    Cli.Result retyped = Cli.run("-C", repo.toString(), "plan");
    assertThat(retyped.exitCode()).isEqualTo(1);
    assertThat(retyped.out()).contains("Cannot change source 'payments': column 'amount' changes type from double"
        + " to long (an offline table cannot convert the values its files hold)");
    Cli.Result refusedApply = Cli.run("-C", repo.toString(), "apply");
    assertThat(refusedApply.exitCode()).isEqualTo(1);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      assertThat(lockstep.applied().version()).isEqualTo(2);
    }
  }
}
