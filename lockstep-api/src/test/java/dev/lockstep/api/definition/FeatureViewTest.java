package dev.lockstep.api.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.InvalidDefinitionException;
import dev.lockstep.api.Window;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureViewTest {
  private static final long MINUTE = 60_000;

  @Test
  void maxLatenessRejectsOnlyEventsLaterThanIt() {
    FeatureView view = FeatureView.builder("card_txn", "payments")
        .maxLateness(Duration.ofMinutes(10))
        .build();

    assertThat(view.accepts(0, 0)).isTrue();
    assertThat(view.accepts(0, 10 * MINUTE)).as("exactly max_lateness late").isTrue();
    assertThat(view.accepts(0, 10 * MINUTE + 1)).isFalse();
    assertThat(view.accepts(5 * MINUTE, 0)).as("ingested before its event time").isTrue();
    assertThat(view.accepts(Long.MIN_VALUE, Long.MAX_VALUE)).as("no overflow").isFalse();
    assertThat(view.accepts(Long.MAX_VALUE, Long.MIN_VALUE)).isTrue();
  }

  @Test
  void withoutMaxLatenessEveryEventCounts() {
    FeatureView view = FeatureView.builder("card_txn", "payments").build();

    assertThat(view.maxLateness()).isEmpty();
    assertThat(view.freshness()).isEmpty();
    assertThat(view.accepts(Long.MIN_VALUE, Long.MAX_VALUE)).isTrue();
  }

  @Test
  void theBuilderAndCopiesKeepTheDurations() {
    FeatureView view = FeatureView.builder("card_txn", "payments")
        .freshness(Duration.ofMinutes(10))
        .maxLateness(Duration.ofHours(1))
        .build();
    List<FeatureDefinition> features = List.of(
        WindowedFeature.of("n", Aggregation.count(), Window.sliding(Duration.ofHours(1))));

    assertThat(view.freshness()).contains(Duration.ofMinutes(10));
    assertThat(view.maxLateness()).contains(Duration.ofHours(1));
    assertThat(view.withFeatures(features)).isEqualTo(FeatureView.builder("card_txn", "payments")
        .freshness(Duration.ofMinutes(10))
        .maxLateness(Duration.ofHours(1))
        .feature(features.get(0))
        .build());
  }

  @Test
  void durationsMustBePositiveWholeMilliseconds() {
    assertThatThrownBy(() -> FeatureView.builder("card_txn", "payments")
        .maxLateness(Duration.ZERO).build())
        .isExactlyInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define feature view 'card_txn': its max_lateness PT0S is not a positive"
            + " whole number of milliseconds (e.g. 10m, 1h)");
    assertThatThrownBy(() -> FeatureView.builder("card_txn", "payments")
        .freshness(Duration.ofMinutes(-5)).build())
        .isExactlyInstanceOf(InvalidDefinitionException.class)
        .hasMessage("Cannot define feature view 'card_txn': its freshness PT-5M is not a positive"
            + " whole number of milliseconds (e.g. 10m, 1h)");
    assertThatThrownBy(() -> FeatureView.builder("card_txn", "payments")
        .freshness(Duration.ofNanos(1_500_000)).build())
        .isExactlyInstanceOf(InvalidDefinitionException.class)
        .hasMessageStartingWith("Cannot define feature view 'card_txn': its freshness PT0.0015S");
  }
}
