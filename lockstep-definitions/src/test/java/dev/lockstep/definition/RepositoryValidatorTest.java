package dev.lockstep.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureReference;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.FeatureService;
import dev.lockstep.api.definition.FeatureView;
import dev.lockstep.api.definition.OnDemandFeatureView;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceColumn;
import dev.lockstep.api.definition.SourceFormat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepositoryValidatorTest {
  private static final Source PAYMENTS = Source.builder("payments", SourceFormat.CSV)
      .entity("card", "card_id").eventTime("ts")
      .column("card_id", ValueType.STRING).column("amount", ValueType.DOUBLE)
      .column("merchant", ValueType.STRING).build();

  private static FeatureRepository.Builder valid() {
    return FeatureRepository.builder()
        .entity(Entity.of("card", "card_id"))
        .source(PAYMENTS)
        .featureView(FeatureView.builder("card_txn", "payments").filter("amount > 0")
            .aggregate("amount_sum_7d", Aggregation.sum("amount"),
                Window.sliding(Duration.ofDays(7)))
            .latest("last_merchant", "merchant", null)
            .build())
        .onDemandView(new OnDemandFeatureView("ratios",
            DefinitionErrorsTest.Ratio.class.getName(),
            List.of(FeatureReference.parse("card_txn:amount_sum_7d")), List.of(),
            List.of(SourceColumn.of("r", ValueType.DOUBLE))))
        .featureService(FeatureService.of("fraud_model", "card_txn:amount_sum_7d", "ratios:r"));
  }

  @Test
  void aValidJavaRepositoryPasses() {
    assertThatCode(() -> RepositoryValidator.validate(valid().build(),
        getClass().getClassLoader())).doesNotThrowAnyException();
  }

  @Test
  void problemsOfJavaDefinitionsAreAtJava() {
    FeatureRepository repository = valid()
        .entity(Entity.of("card", "id"))
        .featureView(FeatureView.builder("merchant_txn", "payment")
            .aggregate("n", Aggregation.count(), Window.lifetime()).build())
        .featureView(FeatureView.builder("bad", "payments").filter("merchant > 1")
            .aggregate("s", Aggregation.sum("merchant"), Window.sliding(Duration.ofHours(1)))
            .build())
        .onDemandView(new OnDemandFeatureView("missing", "com.example.Nope", List.of(),
            List.of(), List.of(SourceColumn.of("x", ValueType.LONG))))
        .featureService(FeatureService.of("other", "card_txn:amount_sum_7d@v3", "ratios:r@v2"))
        .build();

    DefinitionErrors errors = catchThrowableOfType(DefinitionErrors.class,
        () -> RepositoryValidator.validate(repository, getClass().getClassLoader()));

    assertThat(RepositoryLoaderTest.lines(errors)).containsExactly(
        "<java>: Cannot define entity 'card': the name is taken by the entity at <java> (rename"
            + " one of them)",
        "<java>: Cannot define feature view 'merchant_txn': source 'payment' is not defined (did"
            + " you mean 'payments'?)",
        "<java>: Cannot bind filter 'merchant > 1': column 'merchant' is string and 1 is a number"
            + " (quote it: '1')",
        "<java>: Cannot define feature bad:s: sum needs a long or double column and 'merchant' is"
            + " string (on string columns use count_non_null, min, max, first, last, first_k,"
            + " last_k, approx_count_distinct)",
        "<java>: Cannot load class 'com.example.Nope' of on-demand view 'missing': it is not on"
            + " the class path (add the jar that holds it, or fix the name)",
        "<java>: Cannot resolve feature 'card_txn:amount_sum_7d@v3' of feature service 'other':"
            + " feature 'amount_sum_7d' of view 'card_txn' has no version 3 (it has version 1)",
        "<java>: Cannot resolve feature 'ratios:r@v2' of feature service 'other': on-demand"
            + " outputs have no versions (write ratios:r)");
    assertThat(errors).hasMessageStartingWith("<java>: Cannot define entity 'card'");
  }

  @Test
  void withoutAClassLoaderClassesAreNotLoaded() {
    FeatureRepository repository = valid()
        .onDemandView(new OnDemandFeatureView("later", "com.example.NotYetBuilt",
            List.of(FeatureReference.parse("ratios:r")), List.of(),
            List.of(SourceColumn.of("x", ValueType.LONG))))
        .build();
    DefinitionErrors errors = catchThrowableOfType(DefinitionErrors.class,
        () -> RepositoryValidator.validate(repository));
    assertThat(RepositoryLoaderTest.lines(errors)).containsExactly(
        "<java>: Cannot resolve input 'ratios:r' of on-demand view 'later': 'ratios' is an"
            + " on-demand view (inputs must be features of feature views)");
  }

  @Test
  void keyColumnsMustMatchTheEntityKeys() {
    FeatureRepository repository = FeatureRepository.builder()
        .entity(Entity.of("pair", "a", "b"))
        .source(Source.builder("s", SourceFormat.JSONL).entity("pair", "a").eventTime("t")
            .column("a", ValueType.LONG).build())
        .build();
    DefinitionErrors errors = catchThrowableOfType(DefinitionErrors.class,
        () -> RepositoryValidator.validate(repository));
    assertThat(errors.problems()).extracting(DefinitionProblem::message).containsExactly(
        "Cannot define source 's': entity 'pair' has 2 join keys (a, b) but the source names 1"
            + " key column (list one column per join key, in the entity's order)");
  }
}
