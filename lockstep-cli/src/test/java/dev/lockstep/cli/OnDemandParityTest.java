package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.api.client.FeatureClient;
import dev.lockstep.api.client.FeatureRequest;
import dev.lockstep.api.client.FeatureVector;
import dev.lockstep.api.client.InvalidRequestException;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.client.RemoteFeatureClient;
import dev.lockstep.core.Lockstep;
import dev.lockstep.ops.parity.Replay;
import dev.lockstep.ops.parity.ReplayReport;
import dev.lockstep.core.training.TrainingSetOptions;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-demand views give the same outputs through a training set, the embedded client and HTTP, by
 * one evaluator: request fields sent as numbers or as text, missing and null fields, values a type
 * cannot take, a function that throws, and views that run after other views. And the feature log
 * keeps the request fields, so {@code lockstep replay} compares the outputs that read them.
 */
class OnDemandParityTest {
  private static final String DEFINITIONS = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: jsonl
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double}
      feature_views:
        - name: card_life
          source: payments
          features:
            - {name: txn_count, aggregation: count, window: lifetime}
            - {name: amount_sum, aggregation: sum, column: amount, window: lifetime}
      on_demand_views:
        - name: ratio
          class: dev.lockstep.cli.OnDemandParityTest$Ratio
          inputs: [card_life:txn_count, card_life:amount_sum]
          request: {amount: double, limit: long, label: string}
          outputs: {over_mean: double, over_limit: long, limit_seen: long, label_seen: string}
        - name: second
          class: dev.lockstep.cli.OnDemandParityTest$Second
          inputs: [card_life:txn_count]
          outputs: {inputs_seen: long, count_twice: long}
      feature_services:
        - name: scoring
          features: [card_life:txn_count, ratio:over_mean, ratio:over_limit, ratio:limit_seen, ratio:label_seen,
                     second:inputs_seen, second:count_twice]
      """;

  /** amount over the card's mean amount, whether it passes the limit; throws for label "boom". */
  public static final class Ratio implements OnDemandFunction {
    @Override
    public Map<String, Object> compute(Map<String, Object> values) {
      if ("boom".equals(values.get("label"))) {
        throw new ArithmeticException("label boom");
      }
      Map<String, Object> out = new HashMap<>();
      Long count = (Long) values.get("card_life__txn_count");
      Double sum = (Double) values.get("card_life__amount_sum");
      Double amount = (Double) values.get("amount");
      Long limit = (Long) values.get("limit");
      if (amount != null && count != null && count > 0 && sum != null) {
        out.put("over_mean", amount / (sum / count));
      }
      if (amount != null && limit != null) {
        out.put("over_limit", amount > limit ? 1L : 0L);
      }
      out.put("limit_seen", limit);
      out.put("label_seen", values.get("label"));
      return out;
    }
  }

  /** Runs after {@link Ratio}: counts what it sees, which must be its one declared input only. */
  public static final class Second implements OnDemandFunction {
    @Override
    public Map<String, Object> compute(Map<String, Object> values) {
      Long count = (Long) values.get("card_life__txn_count");
      return Map.of("inputs_seen", (long) values.size(), "count_twice", count == null ? 0L : 2 * count);
    }
  }

  private static final List<String> ON_DEMAND = List.of("ratio__over_mean", "ratio__over_limit",
      "ratio__limit_seen", "ratio__label_seen", "second__inputs_seen", "second__count_twice");

  @TempDir Path repo;

  @Test
  void trainingSetsTheEmbeddedClientAndHttpComputeOnDemandViewsAlike() throws Exception {
    Files.writeString(repo.resolve("features.yaml"), DEFINITIONS);
    try (Lockstep lockstep = Lockstep.open(repo)) {
      lockstep.apply(lockstep.plan());
      int servedCount;
      try (ServeCommand.Serving serving = ServeCommand.Serving.start(lockstep, "127.0.0.1", 0, List.of("scoring"),
              Duration.ofHours(1));
          FeatureClient remote = RemoteFeatureClient.connect(URI.create("http://127.0.0.1:" + serving.port()))) {
        FeatureClient embedded = serving.online().client();
        Random random = new Random(11);
        long old = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          events.add(Map.of("card_id", "c" + random.nextInt(6), "ts", old + i * 1000L,
              "amount", random.nextInt(100_000) / 100.0));
        }
        assertThat(embedded.push("payments", events).accepted()).isEqualTo(200);
        serving.online().awaitApplied(Duration.ofSeconds(30));

        // request fields as a JSON client may send them: numbers, numbers as text, integral
        // doubles for a long, missing and null fields, a card with no events
        List<Map<String, Object>> contexts = new ArrayList<>();
        contexts.add(context(12.5, 10L, "a"));
        contexts.add(context("12.5", "10", "a"));
        contexts.add(context(7L, 10.0, "b"));
        contexts.add(context(" 1e3 ", " 42 ", ""));
        contexts.add(context(null, 3L, null));
        contexts.add(Map.of());
        contexts.add(context(new BigDecimal("0.1"), new BigDecimal("5E+1"), "x"));
        for (int i = 0; i < 20; i++) {
          contexts.add(context(random.nextInt(50_000) / 100.0, (long) random.nextInt(400), "r" + i));
        }
        List<Served> served = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
          Map<String, Object> entity = Map.of("card_id", i == 5 ? "never-seen" : i == 1 ? "c0" : "c" + (i % 6));
          FeatureRequest request = new FeatureRequest(Optional.of("scoring"), List.of(), entity, contexts.get(i));
          FeatureVector fromEmbedded = embedded.features(request);
          FeatureVector fromRemote = remote.features(request);
          assertThat(onDemand(fromRemote)).as("context %s", contexts.get(i)).isEqualTo(onDemand(fromEmbedded));
          served.add(new Served(entity, contexts.get(i), fromEmbedded));
        }
        assertThat(served.get(0).vector().value("second__inputs_seen")).isEqualTo(1L);
        assertThat(served.get(0).vector().value("ratio__limit_seen")).isEqualTo(10L);
        assertThat(onDemand(served.get(1).vector())).isEqualTo(onDemand(served.get(0).vector()));
        assertThat(served.get(3).vector().value("ratio__limit_seen")).isEqualTo(42L);
        assertThat(served.get(4).vector().value("ratio__over_mean")).isNull();

        // values a type cannot take, and a throwing function: the same failure on every path
        Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
        bad.put("request field 'limit' is 'ten', not a long", context(1.0, "ten", "a"));
        bad.put("request field 'limit' is 10.5, not a long", context(1.0, 10.5, "a"));
        bad.put("request field 'label' is 7, not a string", context(1.0, 1L, 7L));
        for (var entry : bad.entrySet()) {
          FeatureRequest request = new FeatureRequest(Optional.of("scoring"), List.of(), Map.of("card_id", "c1"),
              entry.getValue());
          for (FeatureClient client : List.of(embedded, remote)) {
            assertThatThrownBy(() -> client.features(request)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(entry.getKey());
          }
        }
        FeatureRequest boom = new FeatureRequest(Optional.of("scoring"), List.of(), Map.of("card_id", "c1"),
            context(1.0, 1L, "boom"));
        for (FeatureClient client : List.of(embedded, remote)) {
          assertThatThrownBy(() -> client.features(boom)).isInstanceOf(LockstepException.class)
              .hasMessageContaining("Cannot compute on-demand view 'ratio'")
              .hasMessageContaining("threw ArithmeticException: label boom");
        }

        // the same rows through a training set, request fields as the spine's text
        serving.online().flushOffline();
        StringBuilder spine = new StringBuilder("card_id,ts,amount,limit,label\n");
        for (Served row : served) {
          spine.append(row.entity().get("card_id")).append(',').append(row.vector().t()).append(',')
              .append(cell(row.context().get("amount"))).append(',').append(cell(row.context().get("limit")))
              .append(',').append(cell(row.context().get("label"))).append('\n');
        }
        List<Map<String, Object>> rebuilt = build(lockstep, "good", spine.toString());
        assertThat(rebuilt).hasSize(served.size());
        for (int i = 0; i < served.size(); i++) {
          Map<String, Object> expected = new LinkedHashMap<>(onDemand(served.get(i).vector()));
          if ("".equals(served.get(i).context().get("label"))) {
            expected.put("ratio__label_seen", null); // an empty CSV field is null
          }
          assertThat(rebuilt.get(i)).as("row %d", i).isEqualTo(expected);
        }
        String at = served.get(0).vector().t().toString();
        assertThatThrownBy(() -> build(lockstep, "bad", "card_id,ts,amount,limit,label\nc1," + at + ",1.0,ten,a\n"))
            .hasMessageContaining("request field 'limit' is 'ten', not a long");
        assertThatThrownBy(() -> build(lockstep, "boom", "card_id,ts,amount,limit,label\nc1," + at + ",1.0,1,boom\n"))
            .hasMessageContaining("threw ArithmeticException: label boom");

        servedCount = served.size();
      }
      // stopped, the log is written: replay compares every on-demand output, request fields included
      ReplayReport report = Replay.replay(lockstep, "scoring", Optional.empty(), Optional.empty());
      assertThat(report.vectors()).isEqualTo(servedCount * 2L);
      assertThat(report.mismatches()).as("%s", report.examples()).isZero();
      assertThat(report.onDemandCompared()).containsExactlyInAnyOrderElementsOf(ON_DEMAND);
      assertThat(report.notCompared()).isEmpty();
    }
  }

  private record Served(Map<String, Object> entity, Map<String, Object> context, FeatureVector vector) {}

  private static Map<String, Object> context(Object amount, Object limit, Object label) {
    Map<String, Object> context = new HashMap<>();
    context.put("amount", amount);
    context.put("limit", limit);
    context.put("label", label);
    return context;
  }

  private static Map<String, Object> onDemand(FeatureVector vector) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String column : ON_DEMAND) {
      values.put(column, vector.value(column));
    }
    return values;
  }

  private static String cell(Object value) {
    return value == null ? "" : value.toString();
  }

  private List<Map<String, Object>> build(Lockstep lockstep, String name, String spine) throws Exception {
    Path spineFile = repo.resolve(name + ".csv");
    Files.writeString(spineFile, spine);
    Path out = repo.resolve("out-" + name);
    lockstep.trainingSet(TrainingSetOptions.forService("scoring", spineFile, out)
        .withMode(PointInTimeMode.AS_OF_INGEST), new dev.lockstep.core.training.TrainingSetListener() {});
    List<Map<String, Object>> rows = new ArrayList<>();
    try (DuckDb duckDb = new DuckDb()) {
      String columns = String.join(", ", ON_DEMAND);
      for (List<Object> row : duckDb.rows("SELECT " + columns + " FROM " + DuckDb.parquet(out.resolve("part-00000.parquet")))) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < ON_DEMAND.size(); i++) {
          values.put(ON_DEMAND.get(i), row.get(i));
        }
        rows.add(values);
      }
    }
    return rows;
  }
}
