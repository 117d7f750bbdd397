package dev.lockstep.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PaymentsGeneratorTest {
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void sameOptionsGiveTheSamePaymentsAndOtherSeedsDiffer() {
    List<Payment> first = PaymentsGenerator.builder().seed(42).events(5_000).build().toList();
    List<Payment> second = PaymentsGenerator.builder().seed(42).events(5_000).build().toList();
    List<Payment> other = PaymentsGenerator.builder().seed(43).events(5_000).build().toList();
    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void everyIterationStartsAgainFromTheBeginning() {
    PaymentsGenerator generator = PaymentsGenerator.builder().seed(7).events(1_000).build();
    assertThat(generator.stream().toList()).isEqualTo(generator.toList());
    assertThat(generator.iterator().next()).isEqualTo(generator.toList().get(0));
  }

  @Test
  void producesTheRequestedNumberInIngestOrderWithinTheSpan() {
    Duration span = Duration.ofDays(60);
    List<Payment> payments = PaymentsGenerator.builder().events(20_000).cards(300).start(START).span(span).build().toList();
    assertThat(payments).hasSize(20_000);
    long end = START.plus(span).toEpochMilli();
    Set<String> cards = new HashSet<>();
    for (int i = 0; i < payments.size(); i++) {
      Payment payment = payments.get(i);
      assertThat(payment.sequence()).isEqualTo(i);
      assertThat(payment.ingestTime()).isBetween(START.toEpochMilli(), end - 1);
      assertThat(payment.eventTime()).isBetween(START.toEpochMilli(), payment.ingestTime());
      assertThat(payment.items()).isBetween(1L, 20L);
      if (i > 0) {
        assertThat(payment.ingestTime()).isGreaterThanOrEqualTo(payments.get(i - 1).ingestTime());
      }
      cards.add(payment.cardId());
    }
    assertThat(cards).hasSizeLessThanOrEqualTo(300).allMatch(card -> card.matches("card-\\d{3}"));
  }

  @Test
  void nullRatesAreRoughlyHonored() {
    List<Payment> payments = PaymentsGenerator.builder().events(50_000).amountNullRate(0.1).merchantNullRate(0.3)
        .build().toList();
    double amountNulls = payments.stream().filter(p -> p.amount() == null).count() / 50_000.0;
    double merchantNulls = payments.stream().filter(p -> p.merchant() == null).count() / 50_000.0;
    assertThat(amountNulls).isBetween(0.09, 0.11);
    assertThat(merchantNulls).isBetween(0.28, 0.32);
  }

  @Test
  void amountsAreLogNormalInCents() {
    List<Double> amounts = PaymentsGenerator.builder().events(20_000).amountNullRate(0).build().stream()
        .map(Payment::amount).sorted().toList();
    assertThat(amounts).allMatch(amount -> amount >= 0.01 && Math.round(amount * 100) / 100.0 == amount);
    double median = amounts.get(amounts.size() / 2);
    assertThat(median).isBetween(30.0, 40.0);
    assertThat(amounts.get(amounts.size() - 1)).isGreaterThan(10 * median); // a long right tail
  }

  @Test
  void busyCardsTimestampTiesAndLatePayments() {
    // over one day, payments are 1.7 s apart, so a split payment's delay stays under a minute
    List<Payment> payments = PaymentsGenerator.builder().events(50_000).cards(1_000).span(Duration.ofDays(1))
        .lateRate(0.05).duplicateTimestampRate(0.1).maxLateness(Duration.ofHours(2)).build().toList();
    Map<String, Integer> perCard = new HashMap<>();
    payments.forEach(p -> perCard.merge(p.cardId(), 1, Integer::sum));
    int busiest10 = perCard.values().stream().sorted((a, b) -> b - a).limit(10).mapToInt(Integer::intValue).sum();
    assertThat(busiest10).as("the top 1%% of cards").isGreaterThan(payments.size() / 10);

    long late = payments.stream().filter(p -> p.ingestTime() - p.eventTime() >= 60_000).count();
    assertThat(late / 50_000.0).isBetween(0.04, 0.06);
    assertThat(payments).allMatch(p -> p.ingestTime() - p.eventTime() <= Duration.ofHours(2).toMillis());

    Set<String> seen = new HashSet<>();
    long ties = payments.stream().filter(p -> !seen.add(p.cardId() + "@" + p.eventTime())).count();
    assertThat(ties / 50_000.0).isBetween(0.09, 0.12);
    Set<String> seenWithIngest = new HashSet<>();
    long fullTies = payments.stream()
        .filter(p -> !seenWithIngest.add(p.cardId() + "@" + p.eventTime() + "/" + p.ingestTime())).count();
    assertThat(fullTies / 50_000.0).isBetween(0.04, 0.06);
  }

  @Test
  void streamsWithoutHoldingPaymentsInMemory() {
    PaymentsGenerator generator = PaymentsGenerator.builder().events(1_000_000).cards(100_000).build();
    AtomicLong count = new AtomicLong();
    AtomicLong lastSequence = new AtomicLong(-1);
    generator.forEach(payment -> {
      count.incrementAndGet();
      if (payment.sequence() != lastSequence.get() + 1) {
        throw new AssertionError("sequence gap at " + payment);
      }
      lastSequence.set(payment.sequence());
    });
    assertThat(count.get()).isEqualTo(1_000_000);
    assertThatThrownBy(() -> PaymentsGenerator.builder().events(100_000_000).build().toList())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot hold 100000000 payments in a list: the limit is 20000000 (iterate with forEach()"
            + " or iterator() instead)");
  }

  @Test
  void rejectsOptionsOutOfRange() {
    assertThatThrownBy(() -> PaymentsGenerator.builder().amountNullRate(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build the payments generator: rates must be between 0 and 1, not 1.5");
    assertThatThrownBy(() -> PaymentsGenerator.builder().cards(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build the payments generator: cards and merchants must be ≥ 1");
    assertThat(PaymentsGenerator.builder().events(0).build().toList()).isEmpty();
  }
}
