package dev.lockstep.bench;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.ValueType;
import dev.lockstep.api.Window;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.event.EventSchema;
import dev.lockstep.engine.sweep.FeatureSpec;
import dev.lockstep.examples.Payment;
import dev.lockstep.examples.PaymentsGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference payments workload, grouped per card: each card's events as a sorted block, and a
 * spine of query times (about 10% of the events, at event times and shortly after them).
 */
public final class PaymentsFixture {
  public static final EventSchema SCHEMA =
      EventSchema.of("amount", ValueType.DOUBLE, "merchant", ValueType.STRING, "items", ValueType.LONG);

  public final List<EventBlock> blocks = new ArrayList<>();
  public final List<long[]> queries = new ArrayList<>();
  public final long events;
  public final long queryCount;

  private PaymentsFixture(List<EventBlock> blocks, List<long[]> queries, long events, long queryCount) {
    this.blocks.addAll(blocks);
    this.queries.addAll(queries);
    this.events = events;
    this.queryCount = queryCount;
  }

  /** Deterministic payments over 60 days, {@code events / 100} cards, spine of 10%. */
  public static PaymentsFixture generate(long events, long seed) {
    PaymentsGenerator generator = PaymentsGenerator.builder()
        .seed(seed)
        .events(events)
        .cards((int) Math.max(1, events / 100))
        .start(Instant.parse("2026-01-01T00:00:00Z"))
        .span(Duration.ofDays(60))
        .build();
    Map<String, EventBlock> byCard = new HashMap<>();
    Map<String, List<Long>> spine = new HashMap<>();
    SplittableRandom random = new SplittableRandom(seed);
    long queryCount = 0;
    for (Payment payment : generator) {
      EventBlock block = byCard.computeIfAbsent(payment.cardId(), card -> new EventBlock(SCHEMA, 64));
      int row = block.append(payment.eventTime(), payment.ingestTime(), payment.sequence());
      block.set(0, row, payment.amount());
      block.set(1, row, payment.merchant());
      block.set(2, row, payment.items());
      if (random.nextInt(10) == 0) {
        spine.computeIfAbsent(payment.cardId(), card -> new ArrayList<>())
            .add(payment.eventTime() + (random.nextBoolean() ? 0 : random.nextLong(1, 60_000)));
        queryCount++;
      }
    }
    List<EventBlock> blocks = new ArrayList<>();
    List<long[]> queries = new ArrayList<>();
    for (Map.Entry<String, EventBlock> entry : byCard.entrySet()) {
      entry.getValue().sort();
      blocks.add(entry.getValue());
      queries.add(spine.getOrDefault(entry.getKey(), List.of()).stream().mapToLong(Long::longValue).toArray());
    }
    return new PaymentsFixture(blocks, queries, events, queryCount);
  }

  /** The 20-feature fraud set: count, sum, mean, max and var_samp of amount over 1h, 1d, 7d and 30d. */
  public static List<FeatureSpec> twentyFeatures() {
    List<FeatureSpec> features = new ArrayList<>();
    String[] names = {"1h", "1d", "7d", "30d"};
    Duration[] sizes = {Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30)};
    for (int w = 0; w < sizes.length; w++) {
      Window window = Window.sliding(sizes[w]);
      features.add(new FeatureSpec("txn_count_" + names[w], Aggregation.count(), window));
      features.add(new FeatureSpec("amount_sum_" + names[w], Aggregation.sum("amount"), window));
      features.add(new FeatureSpec("amount_mean_" + names[w], Aggregation.mean("amount"), window));
      features.add(new FeatureSpec("amount_max_" + names[w], Aggregation.max("amount"), window));
      features.add(new FeatureSpec("amount_var_" + names[w],
          Aggregation.of(dev.lockstep.api.AggregationFunction.VAR_SAMP, "amount"), window));
    }
    return features;
  }
}
