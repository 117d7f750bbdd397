package dev.lockstep.core.quality;

import dev.lockstep.testkit.fakes.MemoryOfflineStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.CircuitBreakerPolicy;
import dev.lockstep.api.definition.DataContract;
import dev.lockstep.api.definition.Entity;
import dev.lockstep.api.definition.FeatureRepository;
import dev.lockstep.api.definition.QualityRule;
import dev.lockstep.api.definition.Source;
import dev.lockstep.api.definition.SourceFormat;
import dev.lockstep.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker's sliding window against a naive oracle that keeps every judged batch and
 * sums those within the interval, over seeded random traffic; and its state shared through the
 * breaker table by two instances (two processes).
 */
class BreakersTest {
  private static final Duration INTERVAL = Duration.ofMinutes(12);

  private record Judged(long at, long rows, long failed) {}

  @Test
  void tripsExactlyWhenTheNaiveWindowCrossesTheRate() {
    int trips = 0;
    for (int seed = 0; seed < 40; seed++) {
      Random random = new Random(seed);
      double rate = 0.05 + random.nextDouble() * 0.5;
      long minRows = 1 + random.nextInt(200);
      ManualClock clock = ManualClock.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000));
      Breakers breakers = new Breakers(new MemoryOfflineStore(clock), repository(rate, minRows), clock);
      List<Judged> judged = new ArrayList<>();
      for (int step = 0; step < 400; step++) {
        clock.advanceMillis(random.nextInt(90_000));
        long rows = 1 + random.nextInt(30);
        long failed = random.nextDouble() < 0.7 ? 0 : random.nextInt((int) rows + 1);
        boolean open = breakers.isOpen("payments");
        boolean tripped = breakers.record("payments", rows, failed, "test");
        boolean expected = false;
        if (!open) {
          judged.add(new Judged(clock.millis(), rows, failed));
          long width = INTERVAL.toMillis() / Breakers.BUCKETS;
          long bucket = clock.millis() / width;
          long windowRows = 0;
          long windowFailed = 0;
          for (Judged earlier : judged) {
            if (earlier.at() / width > bucket - Breakers.BUCKETS) {
              windowRows += earlier.rows();
              windowFailed += earlier.failed();
            }
          }
          expected = windowRows >= minRows && windowFailed >= rate * windowRows;
        }
        assertThat(tripped).as("seed %d step %d", seed, step).isEqualTo(expected);
        if (tripped) {
          trips++;
          assertThat(breakers.isOpen("payments")).isTrue();
          if (random.nextBoolean()) {
            breakers.reset("payments", "test");
            judged.clear();
          }
        }
      }
    }
    assertThat(trips).as("trips over all seeds (the traffic must exercise the breaker)").isGreaterThan(15);
  }

  @Test
  void aTripAndAResetAreSeenByAnotherInstanceOfTheProject() {
    ManualClock clock = ManualClock.ofEpochMilli(1_700_000_000_000L);
    MemoryOfflineStore store = new MemoryOfflineStore(clock);
    Breakers server = new Breakers(store, repository(0.5, 4), clock);
    Breakers cli = new Breakers(store, repository(0.5, 4), clock);
    assertThat(server.record("payments", 4, 3, "push")).isTrue();
    assertThat(cli.isOpen("payments")).isFalse();
    cli.refresh();
    assertThat(cli.state("payments").open()).isTrue();
    assertThat(cli.state("payments").reason())
        .isEqualTo("3 of 4 rows failed the contract in the last 12m (75.0%, at most 50.0% allowed)");
    assertThatThrownBy(() -> cli.requireClosed("payments", "ingest x"))
        .isInstanceOf(BreakerOpenException.class)
        .hasMessageStartingWith("Cannot ingest x: the circuit breaker of source 'payments' is open since ");
    clock.advanceMillis(1_000);
    Breakers.State before = cli.reset("payments", "lockstep breaker reset by ops");
    assertThat(before.open()).isTrue();
    server.refresh();
    assertThat(server.state("payments").open()).isFalse();
    assertThat(server.state("payments").actor()).isEqualTo("lockstep breaker reset by ops");
    // the reset emptied the server's window: one more bad row alone does not trip it
    assertThat(server.record("payments", 1, 1, "push")).isFalse();
    assertThatThrownBy(() -> cli.reset("nope", "ops"))
        .hasMessage("Cannot reset the circuit breaker of source 'nope': it has none (sources with one: [payments])");
  }

  private static FeatureRepository repository(double rate, long minRows) {
    Source source = Source.builder("payments", SourceFormat.CSV).entity("card", "card_id").eventTime("ts")
        .column("card_id", ValueType.STRING).column("amount", ValueType.DOUBLE).build();
    return FeatureRepository.builder()
        .entity(new Entity("card", List.of("card_id"), ""))
        .source(source)
        .contract(new DataContract("payments", List.of(new QualityRule.Range("amount", OptionalDouble.of(0),
            OptionalDouble.empty())), Optional.of(new CircuitBreakerPolicy(rate, INTERVAL, minRows)), ""))
        .build();
  }
}
