package dev.lockstep.bench;

import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.engine.event.EventBlock;
import dev.lockstep.engine.sweep.PointInTimeSweep;
import java.time.Instant;
import java.util.List;

/**
 * Shows the engine end to end: generates a deterministic payments stream, computes the 20-feature
 * fraud set point-in-time for a 10% spine in both modes, prints one card's feature vectors and the
 * single-thread throughput. {@code java -cp lockstep-bench/target/benchmarks.jar
 * dev.lockstep.bench.SweepDemo [events]}
 */
public final class SweepDemo {
  private SweepDemo() {}

  public static void main(String[] arguments) {
    long events = arguments.length > 0 ? Long.parseLong(arguments[0]) : 2_000_000;
    long started = System.nanoTime();
    PaymentsFixture fixture = PaymentsFixture.generate(events, 42);
    System.out.printf("Generated %,d payments of %,d cards and a spine of %,d rows in %.1f s%n",
        fixture.events, fixture.blocks.size(), fixture.queryCount, (System.nanoTime() - started) / 1e9);
    for (PointInTimeMode mode : PointInTimeMode.values()) {
      PointInTimeSweep sweep = PointInTimeSweep.bind(PaymentsFixture.SCHEMA, PaymentsFixture.twentyFeatures(), mode);
      double best = Double.MAX_VALUE;
      for (int run = 0; run < 5; run++) {
        long start = System.nanoTime();
        for (int card = 0; card < fixture.blocks.size(); card++) {
          sweep.evaluate(fixture.blocks.get(card), fixture.queries.get(card));
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }
      System.out.printf("%-12s 20 features x %,d spine rows over %,d events: best of 5 %.2f s, %.1f M (events+queries)/s on one thread%n",
          mode, fixture.queryCount, fixture.events, best, (fixture.events + fixture.queryCount) / best / 1e6);
    }
    printOneCard(fixture);
  }

  private static void printOneCard(PaymentsFixture fixture) {
    int busiest = 0;
    for (int card = 0; card < fixture.blocks.size(); card++) {
      if (fixture.queries.get(card).length > fixture.queries.get(busiest).length) {
        busiest = card;
      }
    }
    EventBlock block = fixture.blocks.get(busiest);
    long[] times = fixture.queries.get(busiest);
    PointInTimeSweep sweep =
        PointInTimeSweep.bind(PaymentsFixture.SCHEMA, PaymentsFixture.twentyFeatures(), PointInTimeMode.EVENT_TIME);
    Object[][] values = sweep.evaluate(block, times);
    List<String> names = sweep.featureNames();
    System.out.printf("%nBusiest card: %,d events; 3 of its %,d spine rows:%n", block.size(), times.length);
    for (int q : new int[] {times.length / 4, times.length / 2, times.length - 1}) {
      System.out.println("  t = " + Instant.ofEpochMilli(times[q]));
      for (int f = 0; f < names.size(); f += 5) {
        StringBuilder line = new StringBuilder("    ");
        for (int g = f; g < f + 5; g++) {
          line.append(String.format("%-18s %-24s", names.get(g), values[g][q]));
        }
        System.out.println(line);
      }
    }
  }
}
