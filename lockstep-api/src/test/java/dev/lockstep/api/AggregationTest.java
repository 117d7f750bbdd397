package dev.lockstep.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AggregationTest {

  @Test
  void printsAsInDefinitionFiles() {
    assertThat(Aggregation.count()).hasToString("count()");
    assertThat(Aggregation.lastK("merchant", 5)).hasToString("last_k(merchant, 5)");
    assertThat(Aggregation.approxPercentile("amount", 0.99)).hasToString("approx_percentile(amount, 0.99)");
    assertThat(AggregationFunction.forName("VAR_samp")).isEqualTo(AggregationFunction.VAR_SAMP);
  }

  @Test
  void invalidParametersAreRefused() {
    assertThatThrownBy(() -> Aggregation.sum(null)).isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define sum: it needs an input column (name one, e.g. sum(amount))");
    assertThatThrownBy(() -> Aggregation.of(AggregationFunction.COUNT, "amount"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define count(amount): count counts events and reads no column"
            + " (use count_non_null(amount) to count non-null values)");
    assertThatThrownBy(() -> Aggregation.firstK("merchant", 0)).isInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define first_k(merchant, 0): k must be between 1 and 1000");
    assertThatThrownBy(() -> Aggregation.approxPercentile("amount", 99))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("the quantile must be between 0 and 1 (0.99 is the 99th percentile)");
    assertThatThrownBy(() -> AggregationFunction.forName("median"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageStartingWith("Cannot resolve aggregation 'median': unknown function (use one of [count, ");
  }
}
