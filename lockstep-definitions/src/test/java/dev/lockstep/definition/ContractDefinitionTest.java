package dev.lockstep.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.api.definition.CircuitBreakerPolicy;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.OnDemandFunction;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.registry.Plan;
import dev.lockstep.registry.Registry;
import dev.lockstep.registry.RegistryCodec;
import dev.lockstep.registry.RegistryDocument;
import dev.lockstep.spi.registry.CommitConflictException;
import dev.lockstep.spi.registry.RegistryStore;
import dev.lockstep.spi.registry.RegistryVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data contracts as written in YAML: what they parse into, every mistake reported as one line with
 * its file and line, and how they travel through the registry (stored, read back, planned).
 */
class ContractDefinitionTest {
  static final String BASE = """
      entities:
        - {name: card, join_keys: [card_id]}
      sources:
        - name: payments
          format: csv
          entity: card
          keys: [card_id]
          event_time: ts
          columns: {card_id: string, txn_id: long, amount: double, currency: string}
      feature_views:
        - name: card_life
          source: payments
          features:
            - {name: txn_count, aggregation: count, window: lifetime}
      """;
  static final String CONTRACT = """
      contracts:
        - source: payments
          description: what the payments team promises
          rules:
            - not_null: [amount, currency]
            - range: {column: amount, min: 0, max: 10000}
            - allowed_values: {column: currency, values: [EUR, USD]}
            - pattern: {column: card_id, regex: 'c[0-9]+'}
            - unique: [txn_id, ts]
            - freshness: 1h
            - volume: {min: 1, max: 1000000}
            - allowed_values: {column: txn_id, values: [1, 2]}
          circuit_breaker: {max_failure_rate: 0.05, interval: 10m, min_rows: 50}
      """;

  @TempDir Path dir;

  @Test
  void everyRuleKindParsesIntoTheContract() throws IOException {
    Files.writeString(dir.resolve("features.yaml"), BASE);
    Files.writeString(dir.resolve("contracts.yaml"), CONTRACT);

    FeatureRepository repository = RepositoryLoader.load(dir).repository();

    assertThat(repository.contracts()).containsExactly(new DataContract("payments", List.of(
            new QualityRule.NotNull("amount"),
            new QualityRule.NotNull("currency"),
            new QualityRule.Range("amount", OptionalDouble.of(0), OptionalDouble.of(10_000)),
            new QualityRule.AllowedValues("currency", List.of("EUR", "USD")),
            new QualityRule.Pattern("card_id", "c[0-9]+"),
            new QualityRule.Unique(List.of("txn_id", "ts")),
            new QualityRule.Freshness(Duration.ofHours(1)),
            new QualityRule.Volume(OptionalLong.of(1), OptionalLong.of(1_000_000)),
            new QualityRule.AllowedValues("txn_id", List.of("1", "2"))),
        Optional.of(new CircuitBreakerPolicy(0.05, Duration.ofMinutes(10), 50)),
        "what the payments team promises"));
    assertThat(repository.contracts().get(0).rules()).extracting(QualityRule::id).containsExactly(
        "not_null(amount)", "not_null(currency)", "range(amount)", "allowed_values(currency)", "pattern(card_id)",
        "unique(txn_id, ts)", "freshness", "volume", "allowed_values(txn_id)");
  }

  @Test
  void aBreakerTakesItsDefaultsAndAContractMayHaveNone() throws IOException {
    Files.writeString(dir.resolve("features.yaml"), BASE + """
        contracts:
          - source: payments
            rules:
              - range: {column: amount, max: 5}
            circuit_breaker: {max_failure_rate: 1}
        """);
    DataContract contract = RepositoryLoader.load(dir).repository().contracts().get(0);
    assertThat(contract.rules()).containsExactly(
        new QualityRule.Range("amount", OptionalDouble.empty(), OptionalDouble.of(5)));
    assertThat(contract.breaker()).contains(new CircuitBreakerPolicy(1.0, CircuitBreakerPolicy.DEFAULT_INTERVAL,
        CircuitBreakerPolicy.DEFAULT_MIN_ROWS));
    assertThat(CircuitBreakerPolicy.DEFAULT_INTERVAL).isEqualTo(Duration.ofMinutes(5));
    assertThat(CircuitBreakerPolicy.DEFAULT_MIN_ROWS).isEqualTo(100);
    assertThat(contract.description()).isEmpty();

    Files.writeString(dir.resolve("features.yaml"), BASE + """
        contracts:
          - {source: payments, rules: [{not_null: [amount]}]}
        """);
    assertThat(RepositoryLoader.load(dir).repository().contracts().get(0).breaker()).isEmpty();
  }

  static Stream<Arguments> badContracts() {
    return Stream.of(
        bad("unknown rule kind", "- range: {column: amount, min: 0, max: 10000}",
            "- rnage: {column: amount, min: 0, max: 10000}", 6,
            "Cannot read contract of source 'payments': a rule must have exactly one of not_null, range,"
                + " allowed_values, pattern, unique, freshness, volume, got rnage (did you mean 'range'? write e.g."
                + " - range: {column: amount, min: 0})"),
        bad("a rule with two kinds", "- freshness: 1h", "- {freshness: 1h, volume: {min: 1}}", 10,
            "Cannot read contract of source 'payments': a rule must have exactly one of not_null, range,"
                + " allowed_values, pattern, unique, freshness, volume, got freshness, volume (write e.g."
                + " - range: {column: amount, min: 0})"),
        bad("range on a string column", "range: {column: amount,", "range: {column: currency,", 6,
            "Cannot define rule range(currency) of the contract of source 'payments': column 'currency' is a"
                + " string (a range applies to long and double columns)"),
        bad("pattern on a long column", "pattern: {column: card_id, regex: 'c[0-9]+'}",
            "pattern: {column: txn_id, regex: '[0-9]+'}", 8,
            "Cannot define rule pattern(txn_id) of the contract of source 'payments': column 'txn_id' is a long"
                + " (a pattern applies to string columns)"),
        bad("an invalid regex", "regex: 'c[0-9]+'", "regex: 'c[0-9'", 8,
            "Cannot define pattern rule on 'card_id': 'c[0-9' is not a regular expression (Unclosed character"
                + " class)"),
        bad("an allowed value not of the column's type", "values: [1, 2]", "values: [1, two]", 12,
            "Cannot define rule allowed_values(txn_id) of the contract of source 'payments': 'two' is not a long"
                + " (list values of the column's type)"),
        bad("an unknown column", "not_null: [amount, currency]", "not_null: [amount, curency]", 5,
            "Cannot define rule not_null(curency) of the contract of source 'payments': column 'curency' is not"
                + " a column of the source (did you mean 'currency'?)"),
        bad("an unknown column without a close match", "unique: [txn_id, ts]", "unique: [txn_id, merchant]", 9,
            "Cannot define rule unique(txn_id, merchant) of the contract of source 'payments': column 'merchant'"
                + " is not a column of the source (columns: card_id, txn_id, amount, currency)"),
        bad("a contract for an unknown source", "- source: payments", "- source: paymnts", 2,
            "Cannot define contract: source 'paymnts' is not defined (did you mean 'payments'?)"),
        bad("two contracts for one source", "    circuit_breaker:",
            "    circuit_breaker: {max_failure_rate: 0.05, interval: 10m, min_rows: 50}\n"
                + "  - source: payments\n    rules: [{not_null: [amount]}]\n    circuit_breaker:", 14,
            "Cannot define contract of source 'payments': the source has another contract (merge their rules into"
                + " one)"),
        bad("max_failure_rate above 1", "max_failure_rate: 0.05", "max_failure_rate: 1.5", 13,
            "Cannot define circuit breaker: max_failure_rate must be above 0 and at most 1, got 1.5 (write e.g."
                + " max_failure_rate: 0.05)"),
        bad("max_failure_rate of 0", "max_failure_rate: 0.05", "max_failure_rate: 0", 13,
            "Cannot define circuit breaker: max_failure_rate must be above 0 and at most 1, got 0.0 (write e.g."
                + " max_failure_rate: 0.05)"),
        bad("range min above max", "min: 0, max: 10000", "min: 10, max: 1", 6,
            "Cannot define range rule on 'amount': min 10.0 is above max 1.0 (swap them)"),
        bad("volume min above max", "volume: {min: 1, max: 1000000}", "volume: {min: 5, max: 1}", 11,
            "Cannot define volume rule: need 0 <= min <= max, got min 5 and max 1"),
        bad("a contract without source", "- source: payments\n    description:", "- description:", 2,
            "Cannot read contract: 'source' is missing (add source: payments)"));
  }

  private static Arguments bad(String what, String find, String replace, int line, String... messages) {
    return Arguments.of(what, find, replace, line, List.of(messages));
  }

  /** {@code $FILE} in a message is the contract file's path; {@code line} is within that file. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badContracts")
  void reportsEachMistakeAsOneLineWithItsFileAndLine(String what, String find, String replace, int line,
      List<String> messages) throws IOException {
    assertThat(CONTRACT).contains(find);
    Files.writeString(dir.resolve("features.yaml"), BASE);
    Path file = dir.resolve("contracts.yaml");
    Files.writeString(file, CONTRACT.replace(find, replace));

    DefinitionErrors errors = catchThrowableOfType(DefinitionErrors.class, () -> RepositoryLoader.load(dir));

    assertThat(errors).as("errors of: " + what).isNotNull();
    assertThat(RepositoryLoaderTest.lines(errors)).containsExactlyElementsOf(
        messages.stream().map(message -> file + ":" + line + ": " + message.replace("$FILE", file.toString()))
            .toList());
  }

  @Test
  void aContractSurvivesTheRegistryAndAChangeToItIsPlannedNotRefused() throws IOException {
    Files.writeString(dir.resolve("features.yaml"), BASE);
    Files.writeString(dir.resolve("contracts.yaml"), CONTRACT);
    FeatureRepository original = RepositoryLoader.load(dir).repository();
    Registry registry = new Registry(new MemoryStore());

    RegistryDocument applied = registry.apply(registry.plan(original));
    RegistryDocument read = registry.current().orElseThrow();

    assertThat(read.version()).isEqualTo(1);
    assertThat(read.repository().contracts()).isEqualTo(original.contracts());
    assertThat(read.repository()).isEqualTo(applied.repository());
    assertThat(RegistryCodec.encode(read.repository())).isEqualTo(RegistryCodec.encode(original));
    assertThat(registry.plan(original).isEmpty()).isTrue();

    Files.writeString(dir.resolve("contracts.yaml"), CONTRACT
        .replace("min: 0, max: 10000", "min: 1, max: 10000")
        .replace("max_failure_rate: 0.05", "max_failure_rate: 0.1"));
    Plan plan = registry.plan(RepositoryLoader.load(dir).repository());

    assertThat(plan.refusals()).isEmpty();
    assertThat(plan.render()).isEqualTo("""
        Registry version 1 -> 2:
          ~ contract payments rule range(amount) min 0.0, max 10000.0 -> min 1.0, max 10000.0
          ~ contract payments circuit_breaker max_failure_rate 0.05, interval 10m, min_rows 50 \
        -> max_failure_rate 0.1, interval 10m, min_rows 50
        Plan: 0 to add, 1 to change, 0 to remove.
        """);
    assertThat(registry.apply(plan).repository().contracts().get(0).breaker().orElseThrow().maxFailureRate())
        .isEqualTo(0.1);
  }

  @Test
  void aRepositoryWithoutContractsKeepsItsDocumentByteForByte() throws IOException {
    // the fraud example, whose golden document predates contracts
    byte[] golden;
    try (InputStream in = RegistryCodec.class.getResourceAsStream("fraud-v1.json")) {
      golden = in.readAllBytes();
    }
    for (Path file : Files.list(Path.of("../examples/fraud")).filter(path -> path.toString().endsWith(".yaml"))
        .toList()) {
      Files.writeString(dir.resolve(file.getFileName()),
          Files.readString(file).replace(SPEND_RATIO, Ratio.class.getName()));
    }
    FeatureRepository loaded = RepositoryLoader.load(dir).repository();
    FeatureRepository fraud = new FeatureRepository(loaded.entities(), loaded.sources(), loaded.featureViews(),
        loaded.onDemandViews().stream().map(view -> new OnDemandFeatureView(view.name(), SPEND_RATIO,
            view.inputs(), view.requestFields(), view.outputs())).toList(), loaded.featureServices());

    assertThat(fraud.contracts()).isEmpty();
    String encoded = new String(RegistryCodec.encode(fraud), StandardCharsets.UTF_8);
    assertThat(encoded).isEqualTo(new String(golden, StandardCharsets.UTF_8)).doesNotContain("contracts");
    assertThat(RegistryCodec.decode(golden).contracts()).isEmpty();
  }

  static final String SPEND_RATIO = "dev.lockstep.cli.examples.SpendRatio";

  /** Stands in for the fraud example's on-demand class, which lives in the CLI module. */
  public static final class Ratio implements OnDemandFunction {
    @Override
    public Map<String, Object> compute(Map<String, Object> values) {
      return Map.of();
    }
  }

  /** A registry store in a list. */
  static final class MemoryStore implements RegistryStore {
    private final List<RegistryVersion> versions = new ArrayList<>();

    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Optional<RegistryVersion> current() {
      return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    @Override
    public RegistryVersion commit(long expectedVersion, byte[] content) {
      if (expectedVersion != versions.size()) {
        throw new CommitConflictException(expectedVersion, current().orElse(null));
      }
      RegistryVersion version = new RegistryVersion(expectedVersion + 1,
          Instant.parse("2024-05-01T10:00:00Z").plusSeconds(versions.size()), content);
      versions.add(version);
      return version;
    }

    @Override
    public List<RegistryVersion> history() {
      return List.copyOf(versions);
    }

    @Override
    public Optional<RegistryVersion> version(long version) {
      return version < 1 || version > versions.size() ? Optional.empty() : Optional.of(versions.get((int) version - 1));
    }

    @Override
    public void close() {}
  }
}
