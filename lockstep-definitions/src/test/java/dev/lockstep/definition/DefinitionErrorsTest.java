package dev.lockstep.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad snippet, applied to a valid repository, gives exactly the expected problems: line and
 * message. {@code $FILE} in a message is the file's path.
 */
class DefinitionErrorsTest {
  static final String BASE = """
      entities:
        - name: card
          join_keys: [card_id]
      sources:
        - name: payments
          format: csv
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, amount: double, merchant: string, items: long}
      feature_views:
        - name: card_txn
          source: payments
          features:
            - {name: txn_count_5m, aggregation: count, window: 5m}
            - {name: amount_mean_1h, aggregation: mean, column: amount, window: 1h}
      feature_services:
        - name: fraud_model
          features: [card_txn:txn_count_5m, card_txn:amount_mean_1h]
      """;
  static final String MEAN =
      "- {name: amount_mean_1h, aggregation: mean, column: amount, window: 1h}";
  static final String SERVICE = "features: [card_txn:txn_count_5m, card_txn:amount_mean_1h]";

  @TempDir Path dir;

  static Stream<Arguments> badSnippets() {
    return Stream.of(
        bad("malformed YAML", "source: payments", "source: payments: x", 13,
            "Cannot read repo.yaml: mapping values are not allowed here (fix the YAML syntax)"),
        bad("unknown key", "event_time: ts", "event_time: ts\n    zon: UTC", 10,
            "Cannot read source 'payments': unknown key 'zon' (did you mean 'zone'?)"),
        bad("unknown key without a close match", "event_time: ts",
            "event_time: ts\n    partitioning: daily", 10,
            "Cannot read source 'payments': unknown key 'partitioning' (expected one of name,"
                + " format, path, entity, keys, event_time, zone, ingest_time, max_future, columns)"),
        bad("unknown top-level key", "feature_services:", "feature_service:", 17,
            "Cannot read repo.yaml: unknown key 'feature_service' (did you mean"
                + " 'feature_services'?)"),
        bad("a list where a value is expected", "join_keys: [card_id]", "join_keys: card_id", 3,
            "Cannot read entity 'card': 'join_keys' must be a list, got 'card_id' (write"
                + " join_keys: [card_id])"),
        bad("a mapping where a value is expected", "format: csv", "format: {type: csv}", 6,
            "Cannot read source 'payments': 'format' must be a single value, got a mapping"),
        bad("k is not a number", MEAN,
            "- {name: amount_mean_1h, aggregation: last_k, column: amount, k: five, window: 1h}", 16,
            "Cannot read feature card_txn:amount_mean_1h: 'k' must be a whole number, got 'five'"),
        bad("missing required key", "    event_time: ts\n", "", 5,
            "Cannot read source 'payments': 'event_time' is missing (add event_time: ts)"),
        bad("key listed twice", "format: csv", "format: csv\n    format: jsonl", 7,
            "Cannot read source 'payments': key 'format' appears twice (keep one)"),
        bad("duplicate entity", "sources:", "  - name: card\n    join_keys: [id]\nsources:", 4,
            "Cannot define entity 'card': the name is taken by the entity at $FILE:2 (rename one"
                + " of them)"),
        bad("on-demand view named like a feature view", "feature_services:",
            "on_demand_views:\n  - {name: card_txn, class: java.lang.Object, outputs: {x: double}}"
                + "\nfeature_services:", 18,
            "Cannot define on-demand view 'card_txn': the name is taken by the feature view at"
                + " $FILE:12 (rename one of them)",
            "Cannot load class 'java.lang.Object' of on-demand view 'card_txn': it does not"
                + " implement dev.lockstep.api.definition.OnDemandFunction (implement it)"),
        bad("source naming a missing entity", "entity: card", "entity: crad", 7,
            "Cannot define source 'payments': entity 'crad' is not defined (did you mean"
                + " 'card'?)"),
        bad("key count unlike the entity's", "    keys: [card_id]", "    keys: [card_id, merchant]", 8,
            "Cannot define source 'payments': entity 'card' has 1 join key (card_id) but the"
                + " source names 2 key columns (list one column per join key, in the entity's"
                + " order)"),
        bad("key column without a type", "    keys: [card_id]", "    keys: [card]", 5,
            "Cannot define source 'payments': key column 'card' is not among its columns (add it"
                + " with its type, e.g. card: string)"),
        bad("unknown format", "format: csv", "format: xls", 6,
            "Cannot read source 'payments': format 'xls' is unknown (use one of csv, jsonl,"
                + " parquet, iceberg)"),
        bad("unknown zone", "event_time: ts", "event_time: ts\n    zone: Mars/Olympus", 10,
            "Cannot read source 'payments': zone 'Mars/Olympus' is unknown (write an IANA zone"
                + " such as Europe/Paris, or UTC)"),
        bad("unknown column type", "items: long", "items: int", 10,
            "Cannot read source 'payments': column 'items' has unknown type 'int' (use long,"
                + " double or string)"),
        bad("feature view naming a missing source", "source: payments", "source: paymnts", 13,
            "Cannot define feature view 'card_txn': source 'paymnts' is not defined (did you mean"
                + " 'payments'?)"),
        bad("unknown column", "column: amount", "column: amout", 16,
            "Cannot define feature card_txn:amount_mean_1h: source 'payments' has no column"
                + " 'amout' (did you mean 'amount'?)"),
        bad("aggregating the event time", "column: amount", "column: ts", 16,
            "Cannot define feature card_txn:amount_mean_1h: source 'payments' has no column 'ts'"
                + " ('ts' is one of the source's time columns; features read its other columns)"),
        bad("wrong column type", "column: amount", "column: merchant", 16,
            "Cannot define feature card_txn:amount_mean_1h: mean needs a long or double column and"
                + " 'merchant' is string (on string columns use count_non_null, min, max, first,"
                + " last, first_k, last_k, approx_count_distinct)"),
        bad("missing column", "column: amount, ", "", 16,
            "Cannot read feature card_txn:amount_mean_1h: mean needs a column (add column: <name"
                + " of a source column>)"),
        bad("count with a column", "aggregation: count,", "aggregation: count, column: amount,",
            15, "Cannot read feature card_txn:txn_count_5m: count counts events and reads no column"
                + " (remove column, or use count_non_null to count the non-null values of amount)"),
        bad("unknown aggregation", "aggregation: mean", "aggregation: maen", 16,
            "Cannot read feature card_txn:amount_mean_1h: aggregation 'maen' is unknown (did you"
                + " mean 'mean'?)"),
        bad("hop larger than window", "window: 1h}", "window: 1h, hop: 2h}", 16,
            "Cannot read feature card_txn:amount_mean_1h: hop 2h exceeds window 1h (use a hop of"
                + " at most 1h)"),
        bad("hop on a lifetime window", "window: 1h}", "window: lifetime, hop: 1h}", 16,
            "Cannot read feature card_txn:amount_mean_1h: a lifetime window has no hop (remove"
                + " hop)"),
        bad("malformed duration", "window: 1h}", "window: 1 hour}", 16,
            "Cannot read feature card_txn:amount_mean_1h: 'window' must be a duration, got '1"
                + " hour' (write a number and a unit such as 90s, 5m, 1h, 7d, or ISO-8601 such as"
                + " PT5M)"),
        bad("k out of range", MEAN,
            "- {name: amount_mean_1h, aggregation: last_k, column: amount, k: 0, window: 1h}", 16,
            "Cannot read feature card_txn:amount_mean_1h: k must be between 1 and 1000, got 0"),
        bad("k missing", MEAN,
            "- {name: amount_mean_1h, aggregation: last_k, column: amount, window: 1h}", 16,
            "Cannot read feature card_txn:amount_mean_1h: last_k needs k, the number of values to"
                + " keep (add k: 5)"),
        bad("k where none is taken", "window: 1h}", "window: 1h, k: 3}", 16,
            "Cannot read feature card_txn:amount_mean_1h: only first_k and last_k take k (remove"
                + " it)"),
        bad("quantile out of range", MEAN, "- {name: amount_mean_1h, aggregation: approx_percentile,"
                + " column: amount, quantile: 95, window: 1h}", 16,
            "Cannot read feature card_txn:amount_mean_1h: quantile must be between 0 and 1, got 95 (0.95 is"
                + " the 95th percentile)"),
        bad("ttl on a windowed feature", "window: 5m}", "window: 5m, ttl: 1d}", 15,
            "Cannot read feature card_txn:txn_count_5m: 'ttl' applies to latest features only (a"
                + " windowed feature forgets events as they leave its window; remove ttl)"),
        bad("window on a latest feature", MEAN,
            "- {name: amount_mean_1h, latest: amount, window: 1h}", 16,
            "Cannot read feature card_txn:amount_mean_1h: 'window' applies to aggregations only (a"
                + " latest feature reads one column of the newest row; remove 'window')"),
        bad("neither aggregation nor latest", MEAN, "- {name: amount_mean_1h, column: amount}", 16,
            "Cannot read feature card_txn:amount_mean_1h: it has neither 'aggregation' nor"
                + " 'latest' (add aggregation: count, window: 5m, or latest: <column>)"),
        bad("feature defined twice", MEAN, MEAN + "\n      " + MEAN, 17,
            "Cannot define feature card_txn:amount_mean_1h: view 'card_txn' already defines it at"
                + " $FILE:16 (give a new meaning a new version, e.g. amount_mean_1h@v2)"),
        bad("malformed version", "name: amount_mean_1h,", "name: amount_mean_1h@2,", 16,
            "Cannot read feature card_txn:amount_mean_1h@2: name 'amount_mean_1h@2' has a"
                + " malformed version (write it as name@v2)"),
        bad("malformed feature name", "name: amount_mean_1h,", "name: Amount,", 16,
            "Cannot read feature card_txn:Amount: names are lower-case letters, digits and '_',"
                + " starting with a letter",
            "Cannot resolve feature 'card_txn:amount_mean_1h' of feature service 'fraud_model':"
                + " view 'card_txn' has no feature 'amount_mean_1h'"),
        bad("service naming a missing view", SERVICE, "features: [card_tx:txn_count_5m]", 19,
            "Cannot resolve feature 'card_tx:txn_count_5m' of feature service 'fraud_model': there"
                + " is no feature view or on-demand view 'card_tx' (did you mean 'card_txn'?)"),
        bad("service naming a missing feature", SERVICE, "features: [card_txn:txn_count_5]", 19,
            "Cannot resolve feature 'card_txn:txn_count_5' of feature service 'fraud_model': view"
                + " 'card_txn' has no feature 'txn_count_5' (did you mean 'txn_count_5m'?)"),
        bad("service naming a missing version", SERVICE, "features: [card_txn:txn_count_5m@v2]",
            19, "Cannot resolve feature 'card_txn:txn_count_5m@v2' of feature service"
                + " 'fraud_model': feature 'txn_count_5m' of view 'card_txn' has no version 2 (it"
                + " has version 1)"),
        bad("service reference malformed", SERVICE, "features: [txn_count_5m]", 19,
            "Cannot read feature service 'fraud_model': 'txn_count_5m' is not a feature reference"
                + " (write view:feature or view:feature@v2, with lower-case names)"),
        bad("output column clash in a service", SERVICE,
            "features:\n      - card_txn:txn_count_5m\n      - card_txn:txn_count_5m@v1", 21,
            "Cannot define feature service 'fraud_model': 'card_txn:txn_count_5m' and"
                + " 'card_txn:txn_count_5m@v1' would both be column card_txn__txn_count_5m (a"
                + " service uses one version of a feature; keep one)"),
        bad("on-demand class missing", "feature_services:", "on_demand_views:\n  - name: ratios\n"
                + "    class: com.example.Missing\n    inputs: [card_txn:txn_count_5m]\n"
                + "    outputs: {r: double}\nfeature_services:", 19,
            "Cannot load class 'com.example.Missing' of on-demand view 'ratios': it is not on the"
                + " class path (add the jar that holds it, or fix the name)"),
        bad("on-demand class of the wrong type", "feature_services:", "on_demand_views:\n"
                + "  - name: ratios\n    class: java.lang.String\n    outputs: {r: double}\n"
                + "feature_services:", 19,
            "Cannot load class 'java.lang.String' of on-demand view 'ratios': it does not implement"
                + " dev.lockstep.api.definition.OnDemandFunction (implement it)"),
        bad("on-demand class without a public constructor", "feature_services:",
            "on_demand_views:\n  - name: ratios\n    class: " + Hidden.class.getName()
                + "\n    outputs: {r: double}\nfeature_services:", 19,
            "Cannot load class '" + Hidden.class.getName() + "' of on-demand view 'ratios': it"
                + " has no public no-argument constructor (make the class public and add one)"),
        bad("on-demand input naming a missing feature", "feature_services:", "on_demand_views:\n"
                + "  - name: ratios\n    class: " + Ratio.class.getName() + "\n"
                + "    inputs: [card_txn:txn_count_5m, card_txn:amount_sum_7d]\n"
                + "    outputs: {r: double}\nfeature_services:", 20,
            "Cannot resolve input 'card_txn:amount_sum_7d' of on-demand view 'ratios': view"
                + " 'card_txn' has no feature 'amount_sum_7d'"),
        bad("filter that does not parse", "source: payments", "source: payments\n"
                + "    filter: \"amount >\"", 14,
            "Cannot parse filter 'amount >': expected a number or a 'quoted string' after '>' at"
                + " position 9, got the end (quote text as 'text')"),
        bad("filter naming an unknown column", "source: payments", "source: payments\n"
                + "    filter: amont > 0", 14,
            "Cannot bind filter 'amont > 0': unknown column 'amont' (did you mean 'amount'?)"),
        bad("filter comparing with a wrong-typed literal", "source: payments",
            "source: payments\n    filter: merchant = 5", 14,
            "Cannot bind filter 'merchant = 5': column 'merchant' is string and 5 is a number"
                + " (quote it: '5')"),
        bad("max_lateness that is not a duration", "source: payments",
            "source: payments\n    max_lateness: soon", 14,
            "Cannot read feature view 'card_txn': 'max_lateness' must be a positive duration, got"
                + " 'soon' (write a number and a unit such as 1h)"),
        bad("max_lateness of zero", "source: payments", "source: payments\n    max_lateness: 0s",
            14, "Cannot read feature view 'card_txn': 'max_lateness' must be a positive duration,"
                + " got '0s' (write a number and a unit such as 1h)"),
        bad("freshness that is not a duration", "source: payments",
            "source: payments\n    description: x\n    freshness: 10 minutes", 15,
            "Cannot read feature view 'card_txn': 'freshness' must be a positive duration, got"
                + " '10 minutes' (write a number and a unit such as 10m)"),
        bad("freshness given as a list", "source: payments",
            "source: payments\n    freshness: [10m]", 14,
            "Cannot read feature view 'card_txn': 'freshness' must be a single value, got a list"),
        bad("misspelt max_lateness", "source: payments",
            "source: payments\n    max_latenes: 1h", 14,
            "Cannot read feature view 'card_txn': unknown key 'max_latenes' (did you mean"
                + " 'max_lateness'?)"));
  }

  private static Arguments bad(String what, String find, String replace, int line,
      String... messages) {
    return Arguments.of(what, find, replace, line, List.of(messages));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSnippets")
  void reportsTheProblemAtItsLine(String what, String find, String replace, int line,
      List<String> messages) throws IOException {
    assertThat(BASE).contains(find);
    Path file = dir.resolve("repo.yaml");
    Files.writeString(file, BASE.replace(find, replace));

    DefinitionErrors errors = catchThrowableOfType(DefinitionErrors.class,
        () -> RepositoryLoader.load(dir, getClass().getClassLoader()));

    assertThat(errors).as("errors of: " + what).isNotNull();
    assertThat(errors.problems()).extracting(DefinitionProblem::message)
        .containsExactlyElementsOf(messages.stream()
            .map(message -> message.replace("$FILE", file.toString())).toList());
    assertThat(errors.problems().get(0).location()).isEqualTo(new Location(file.toString(), line));
  }

  @Test
  void theBaseRepositoryIsValid() throws IOException {
    Files.writeString(dir.resolve("repo.yaml"), BASE);
    assertThat(RepositoryLoader.load(dir).repository().featureViews()).hasSize(1);
  }

  @Test
  void everyProblemOfEveryFileIsReportedOnceInOrder() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), BASE
        .replace("entity: card", "entity: crad")
        .replace("column: amount", "column: amout"));
    Files.writeString(dir.resolve("b.yaml"), """
        feature_views:
          - name: broken
            source: payments
            features: [{name: x, aggregation: sum, window: 1h}]
        feature_services:
          - name: other
            features: [broken:x, card_txn:nope]
        """);
    Path a = dir.resolve("a.yaml");
    Path b = dir.resolve("b.yaml");

    assertThatThrownBy(() -> RepositoryLoader.load(dir))
        .isInstanceOf(DefinitionErrors.class)
        .hasMessage(String.join("\n",
            a + ":7: Cannot define source 'payments': entity 'crad' is not defined (did you mean"
                + " 'card'?)",
            a + ":16: Cannot define feature card_txn:amount_mean_1h: source 'payments' has no"
                + " column 'amout' (did you mean 'amount'?)",
            b + ":4: Cannot read feature broken:x: sum needs a column (add column: <name of a"
                + " source column>)",
            b + ":7: Cannot resolve feature 'card_txn:nope' of feature service 'other': view"
                + " 'card_txn' has no feature 'nope'"));
  }

  @Test
  void anUnknownKeyDoesNotHideTheChecksOfWhatRefersToIt() throws IOException {
    Path file = dir.resolve("repo.yaml");
    Files.writeString(file, BASE.replace("format: csv", "format: csv\n    pth: data/x.csv")
        .replace("column: amount", "column: amout"));

    DefinitionErrors errors = catchThrowableOfType(DefinitionErrors.class,
        () -> RepositoryLoader.load(dir));

    assertThat(RepositoryLoaderTest.lines(errors)).containsExactly(
        file + ":7: Cannot read source 'payments': unknown key 'pth' (did you mean 'path'?)",
        file + ":17: Cannot define feature card_txn:amount_mean_1h: source 'payments' has no"
            + " column 'amout' (did you mean 'amount'?)");
  }

  /** An on-demand function without a public constructor. */
  static final class Hidden implements dev.lockstep.api.definition.OnDemandFunction {
    private Hidden() {}

    @Override
    public java.util.Map<String, Object> compute(java.util.Map<String, Object> values) {
      return java.util.Map.of();
    }
  }

  /** A loadable on-demand function. */
  public static final class Ratio implements dev.lockstep.api.definition.OnDemandFunction {
    @Override
    public java.util.Map<String, Object> compute(java.util.Map<String, Object> values) {
      return java.util.Map.of("r", 1.0);
    }
  }
}
