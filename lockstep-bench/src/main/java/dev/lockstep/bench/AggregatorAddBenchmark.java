package dev.lockstep.bench;

import dev.lockstep.api.Aggregation;
import dev.lockstep.api.AggregationFunction;
import dev.lockstep.api.ValueType;
import dev.lockstep.engine.aggregate.Aggregator;
import dev.lockstep.engine.aggregate.Aggregators;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code add} throughput of each aggregation on a realistic input column (payment amounts in cents,
 * or merchant ids), into a fresh partial per batch of {@value #BATCH} events: events/s/core.
 *
 * <p>Runtimes call aggregators through one call site for many aggregation types, so the setup
 * makes the benchmark's call sites megamorphic first; otherwise the JIT would inline a single
 * aggregator and, for counts, fold the whole loop into one addition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AggregatorAddBenchmark {
  static final int BATCH = 4_096;

  /** {@code function:input type}; doubles are payment amounts, strings merchant ids. */
  @Param({"count:double", "count_non_null:double", "sum:double", "mean:double", "var_samp:double",
      "stddev_pop:double", "min:double", "max:double", "first:double", "last:double", "first_k:double",
      "last_k:double", "approx_percentile:double", "approx_count_distinct:double", "max:string", "last:string",
      "last_k:string", "approx_count_distinct:string"})
  String aggregation;

  ValueType type;

  Aggregator<Object, ?> aggregator;
  final double[] amounts = new double[BATCH];
  final String[] merchants = new String[BATCH];

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    String[] parts = aggregation.split(":");
    AggregationFunction parsed = AggregationFunction.forName(parts[0]);
    type = ValueType.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT));
    Aggregation definition = switch (parsed) {
      case COUNT -> Aggregation.count();
      case FIRST_K, LAST_K -> new Aggregation(parsed, "v", 5, Double.NaN);
      case APPROX_PERCENTILE -> Aggregation.approxPercentile("v", 0.99);
      default -> Aggregation.of(parsed, "v");
    };
    aggregator = (Aggregator<Object, ?>) Aggregators.create(definition, type);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < BATCH; i++) {
      amounts[i] = Math.round(Math.exp(random.nextGaussian() + 3) * 100) / 100.0;
      merchants[i] = "merchant-" + random.nextInt(500);
    }
    polluteCallSites();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object addBatch() {
    return feed(aggregator, type, amounts, merchants);
  }

  private static Object feed(Aggregator<Object, ?> aggregator, ValueType type, double[] amounts, String[] merchants) {
    Object partial = aggregator.init();
    if (aggregator.inputType() == null) {
      for (int i = 0; i < BATCH; i++) {
        aggregator.addEvent(partial, i, i, i);
      }
    } else if (type == ValueType.STRING) {
      for (int i = 0; i < BATCH; i++) {
        aggregator.addString(partial, merchants[i], i, i, i);
      }
    } else {
      for (int i = 0; i < BATCH; i++) {
        aggregator.addDouble(partial, amounts[i], i, i, i);
      }
    }
    return partial;
  }

  /** Runs {@link #feed} with several aggregator classes so its call sites stop being monomorphic. */
  @SuppressWarnings("unchecked")
  private void polluteCallSites() {
    String[] others = {"count", "sum", "max", "last_k", "approx_count_distinct", "count_non_null"};
    for (int round = 0; round < 200; round++) {
      for (String other : others) {
        AggregationFunction function = AggregationFunction.forName(other);
        Aggregation definition = function == AggregationFunction.COUNT ? Aggregation.count()
            : function == AggregationFunction.LAST_K ? Aggregation.lastK("v", 5) : Aggregation.of(function, "v");
        for (ValueType input : new ValueType[] {ValueType.DOUBLE, ValueType.STRING}) {
          if (Aggregators.acceptedTypes(function).contains(input)) {
            feed((Aggregator<Object, ?>) Aggregators.create(definition, input), input, amounts, merchants);
          }
        }
      }
    }
  }
}
