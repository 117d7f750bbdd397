package dev.lockstep.bench;

import dev.lockstep.api.PointInTimeMode;
import dev.lockstep.engine.sweep.PointInTimeSweep;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The point-in-time sweep of the 20-feature fraud set over a synthetic payments stream, one thread.
 * One operation is one full pass over every card; divide {@code events + queries} (printed at
 * setup) by the time per operation for (events + queries)/s/core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class SweepBenchmark {
  @Param({"1000000"})
  long events;

  @Param({"EVENT_TIME", "AS_OF_INGEST"})
  PointInTimeMode mode;

  PaymentsFixture fixture;
  PointInTimeSweep sweep;
  Object[][] values;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = PaymentsFixture.generate(events, 42);
    sweep = PointInTimeSweep.bind(PaymentsFixture.SCHEMA, PaymentsFixture.twentyFeatures(), mode);
    System.out.printf("%nfixture: %d events, %d queries, %d cards%n", fixture.events, fixture.queryCount,
        fixture.blocks.size());
  }

  @Benchmark
  public void sweepAllCards(Blackhole sink) {
    for (int card = 0; card < fixture.blocks.size(); card++) {
      long[] times = fixture.queries.get(card);
      Object[][] result = sweep.evaluate(fixture.blocks.get(card), times);
      sink.consume(result);
    }
  }
}
